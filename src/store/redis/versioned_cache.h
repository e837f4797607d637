// VersionedCache: records an instance read from Redis, with the version each was read at and the fingerprint of
// the stored value (value_fingerprint.h), kept so that an optimistic admission can use them without reading again
// (its `unchanged` step checks in the same call that Redis still holds that version and those very bytes).
// Thread-safe; bounded: when full it starts again empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace lab::store {

template <class Record>
class VersionedCache {
 public:
  struct Entry {
    Record record;
    std::uint64_t version = 0;
    std::string fingerprint;
  };
  explicit VersionedCache(std::size_t capacity = 50'000) : capacity_(capacity) {}

  std::optional<Entry> find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& id, Entry entry) {
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.contains(id)) entries_.clear();
    entries_.insert_or_assign(id, std::move(entry));
  }
  void forget(const std::string& id) {
    std::lock_guard lock(mutex_);
    entries_.erase(id);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t capacity_;
};

}  // namespace lab::store

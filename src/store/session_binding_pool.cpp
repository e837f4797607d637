#include "store/session_binding_pool.h"

#include <limits>
#include <stdexcept>

namespace lab::store {

SessionBindingPool::SessionBindingPool() : index_(0, ByValues{&entries_}, ByValues{&entries_}) {}

SessionBindingPool::Handle SessionBindingPool::acquire(const SessionBindingView& values) {
  if (auto it = index_.find(values); it != index_.end()) {
    ++entries_[*it].users;
    return *it;
  }
  Handle handle = 0;
  if (!free_.empty()) {
    handle = free_.back();
    free_.pop_back();
  } else {
    if (entries_.size() >= std::numeric_limits<Handle>::max()) throw std::length_error("too many session bindings");
    handle = static_cast<Handle>(entries_.size());
    entries_.emplace_back();
  }
  Entry& entry = entries_[handle];
  entry.binding = std::make_shared<const SessionBinding>(
      SessionBinding{std::string(values.agent_id), std::string(values.client_address),
                     std::string(values.tls_fingerprint), std::string(values.client_name)});
  entry.users = 1;
  index_.insert(handle);
  return handle;
}

void SessionBindingPool::release(Handle handle) {
  Entry& entry = entries_[handle];
  if (--entry.users != 0) return;
  index_.erase(handle);  // while the entry still holds the values the index hashes
  entry.binding.reset();
  free_.push_back(handle);
}

void SessionBindingPool::clear() {
  index_.clear();
  entries_.clear();
  free_.clear();
}

}  // namespace lab::store

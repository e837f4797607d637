// SessionBindingPool: the distinct SessionBindings of a session table, each
// kept once and counted by the sessions that use it. A session holds a 4-byte
// handle; a million sessions of a few hundred thousand agents (each agent logs
// in from one place with one certificate) hold a few hundred thousand
// bindings. Not thread-safe: the owning store's lock covers it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "core/session_binding.h"

namespace lab::store {

class SessionBindingPool {
 public:
  using Handle = std::uint32_t;

  SessionBindingPool();
  SessionBindingPool(const SessionBindingPool&) = delete;
  SessionBindingPool& operator=(const SessionBindingPool&) = delete;

  // The handle of the binding with these values, made if no session uses one yet; counts one more user.
  Handle acquire(const SessionBindingView& values);
  // One user fewer; the binding is forgotten with its last user (a Caller that shares it keeps its own copy).
  void release(Handle handle);
  const std::shared_ptr<const SessionBinding>& binding(Handle handle) const { return entries_[handle].binding; }
  std::size_t size() const { return index_.size(); }
  void clear();

 private:
  struct Entry {
    std::shared_ptr<const SessionBinding> binding;  // null while the slot is free
    std::uint32_t users = 0;
  };
  // The index holds handles and finds them by the values they stand for (heterogeneous lookup by a view).
  struct ByValues {
    using is_transparent = void;
    const std::vector<Entry>* entries;
    SessionBindingView view(Handle h) const { return SessionBindingView(*(*entries)[h].binding); }
    std::size_t operator()(Handle h) const noexcept { return view(h).hash(); }
    std::size_t operator()(const SessionBindingView& v) const noexcept { return v.hash(); }
    bool operator()(Handle a, Handle b) const noexcept { return a == b; }
    bool operator()(Handle a, const SessionBindingView& b) const noexcept { return view(a) == b; }
    bool operator()(const SessionBindingView& a, Handle b) const noexcept { return a == view(b); }
  };

  std::vector<Entry> entries_;
  std::vector<Handle> free_;
  std::unordered_set<Handle, ByValues, ByValues> index_;
};

}  // namespace lab::store

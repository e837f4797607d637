// Change: one record a store created, replaced or removed. A store that keeps
// its state in memory reports every change to a ChangeSink (a state file), so
// persistence follows each change rather than copying the whole state.
#pragma once

#include <string>
#include <string_view>

#include "core/domain.h"

namespace lab::store {

enum class Collection { kProjects, kTasks, kAgents, kSessions };
inline constexpr Collection kAllCollections[] = {Collection::kProjects, Collection::kTasks, Collection::kAgents,
                                                 Collection::kSessions};
std::string_view to_string(Collection collection);

struct Change {
  Collection collection;
  std::string key;  // the record's id
  Json record;      // the record as it is now; null when it was removed
};

class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  // Called once per change, in the order the changes happened (the store
  // holds its lock while it reports), so the last record reported for a key
  // is that record's current state.
  virtual void record(const Change& change) = 0;
};

}  // namespace lab::store

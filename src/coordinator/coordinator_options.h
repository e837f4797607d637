// Options of the shared coordinator; each stage sets them in its composition.
#pragma once

#include <cstddef>
#include <filesystem>

#include "coordinator/policies.h"

namespace lab::coordinator {

struct CoordinatorOptions {
  // The stage this coordinator is, told to every client in the login response so a client made for another stage
  // can tell at once; 0 = not told.
  int stage = 0;
  // Honour expected_version on update_task_status (optimistic concurrency).
  bool check_versions = true;
  // Object-level checks: only a project's owner adds tasks to it, only the
  // assignee updates a task, a worker claims only tasks of its specialties.
  bool object_checks = true;
  // Put raw session ids into published events (else a short fingerprint).
  bool publish_session_ids = false;
  // Most tasks one project may hold; 0 = no limit.
  std::size_t max_tasks_per_project = 10'000;
  ValidationPolicy validation;
  // Log every refused request (operation, peer, the refusing control's code and detail) at warning level; a stage
  // without it logs refusals only at debug level. The detail names agents and addresses, never a secret.
  bool log_refusals = false;
  // Where backup_state writes its copies; empty: the stage offers no online backup.
  std::filesystem::path backup_dir;
};

}  // namespace lab::coordinator

// A2A task lifecycle: submitted -> working -> (input-required) -> completed | failed | canceled | rejected.
#pragma once

#include <optional>
#include <string_view>

namespace lab {

enum class TaskStatus { kSubmitted, kWorking, kInputRequired, kCompleted, kFailed, kCanceled, kRejected };

std::string_view to_string(TaskStatus status);  // "submitted", "input-required", ...
std::optional<TaskStatus> task_status_from_string(std::string_view name);

bool is_terminal(TaskStatus status);
// True when the A2A state machine allows from -> to.
bool is_allowed_transition(TaskStatus from, TaskStatus to);

}  // namespace lab

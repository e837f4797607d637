#include "core/task_status.h"

#include "core/enum_names.h"

namespace lab {
namespace {

constexpr NameTable<TaskStatus, 7> kTaskStatusNames{{
    {TaskStatus::kSubmitted, "submitted"},
    {TaskStatus::kWorking, "working"},
    {TaskStatus::kInputRequired, "input-required"},
    {TaskStatus::kCompleted, "completed"},
    {TaskStatus::kFailed, "failed"},
    {TaskStatus::kCanceled, "canceled"},
    {TaskStatus::kRejected, "rejected"},
}};

}  // namespace

std::string_view to_string(TaskStatus status) { return name_of(kTaskStatusNames, status, "unknown"); }

std::optional<TaskStatus> task_status_from_string(std::string_view name) { return value_of(kTaskStatusNames, name); }

bool is_terminal(TaskStatus status) {
  return status == TaskStatus::kCompleted || status == TaskStatus::kFailed ||
         status == TaskStatus::kCanceled || status == TaskStatus::kRejected;
}

bool is_allowed_transition(TaskStatus from, TaskStatus to) {
  using enum TaskStatus;
  switch (from) {
    case kSubmitted:
      return to == kWorking || to == kCanceled || to == kRejected;
    case kWorking:
      return to == kInputRequired || to == kCompleted || to == kFailed || to == kCanceled;
    case kInputRequired:
      return to == kWorking || to == kFailed || to == kCanceled;
    default:
      return false;  // terminal states never change
  }
}

}  // namespace lab

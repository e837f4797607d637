#include "store/audit_trail.h"

#include <spdlog/spdlog.h>

namespace lab::store {

bool AuditTrail::push(std::string_view event_json) {
  Json event = Json::parse(event_json, nullptr, false);
  if (event.is_discarded() || !event.is_object()) return true;  // the bus only sends objects; nothing to record
  const std::string kind = event.value("kind", "event");
  const std::string actor = event.value("agent_id", "unknown");
  if (auto written = log_->append(kind, actor, event); !written) {
    // The trail refuses to continue past a write it could not make; the server keeps serving and says so.
    spdlog::error("audit log: {}", written.error().message);
  }
  return true;  // stays subscribed for the life of the stage
}

}  // namespace lab::store

#include "agents/event_text.h"

namespace lab::agents {
namespace {

// A field as text: a string as it is, anything else as JSON, a missing one as "?".
std::string field(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return "?";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string event_text(const Json& event) {
  if (!event.is_object()) return "an event that is not an object";
  const std::string kind = field(event, "kind");
  const Json data = event.value("data", Json::object());
  const std::string who = field(event, "agent_id") + " (" + field(event, "role") + ")";
  const std::string from = " from " + field(event, "peer_address");
  if (kind == "project_created") return who + " created project " + field(data, "project_id") + " '" + field(data, "name") + "'";
  if (kind == "task_created") {
    return who + " added task " + field(data, "task_id") + " (" + field(data, "specialty") + ") to " +
           field(data, "project_id");
  }
  if (kind == "task_claimed") return who + " claimed " + field(data, "task_id");
  if (kind == "task_status_changed") return who + " set " + field(data, "task_id") + " to " + field(data, "status");
  if (kind == "worker_registered") return who + " registered as a worker" + from;
  if (kind == "session_created") return who + " logged in" + from;
  if (kind == "session_ended") return who + " logged out" + from;
  if (kind == "session_migrated") return who + " moved its session from " + field(data, "from") + " to " + field(data, "to");
  if (kind == "role_changed") return who + " changed the role of " + field(data, "agent_id") + " to " + field(data, "role");
  if (kind == "subscribed") return who + " subscribed to the event stream" + from;
  if (kind == "state_backed_up") return who + " backed up the state";
  if (kind == "request_rejected") {
    const auto claimed = data.find("claimed_agent_id");
    return "refused " + field(data, "type") + from + ": " + field(data, "code") +
           (claimed != data.end() ? " (claimed to be " + field(data, "claimed_agent_id") + ")" : "");
  }
  return kind + " by " + who + from;
}

}  // namespace lab::agents

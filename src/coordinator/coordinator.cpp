#include "coordinator/coordinator.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "coordinator/policy_guards.h"
#include "core/envelope.h"
#include "security/digest.h"

namespace lab::coordinator {

Coordinator::Coordinator(CoordinatorParts parts, const Clock& clock)
    : parts_(std::move(parts)),
      tasks_(parts_.stores->tasks()),
      agents_(parts_.stores->agents()),
      events_(parts_.stores->events()),
      clock_(clock) {
  // A control in shadow mode records what it would have refused; the request goes on.
  parts_.guards.on_shadow([](const Guard& guard, const Rejection& rejection, const GuardContext&) {
    spdlog::warn("{}; continuing: control '{}' runs in shadow mode", rejection.audit_detail, guard.name());
  });
  using P = Permission;
  operations_ = {
      {"login", {P::kSessionOpen, true, &Coordinator::op_login, /*slow: verifies a password*/ true}},
      {"logout", {P::kSessionEnd, true, &Coordinator::op_logout}},
      {"get_session_info", {P::kSessionRead, false, &Coordinator::op_get_session_info}},
      {"register_worker", {P::kAgentRegister, true, &Coordinator::op_register_worker}},
      {"create_project", {P::kProjectCreate, true, &Coordinator::op_create_project}},
      {"list_projects", {P::kProjectRead, false, &Coordinator::op_list_projects}},
      {"get_project", {P::kProjectRead, false, &Coordinator::op_get_project}},
      {"create_task", {P::kTaskCreate, true, &Coordinator::op_create_task}},
      {"list_tasks", {P::kTaskRead, false, &Coordinator::op_list_tasks}},
      {"claim_task", {P::kTaskClaim, true, &Coordinator::op_claim_task}},
      {"update_task_status", {P::kTaskUpdate, true, &Coordinator::op_update_task_status}},
      {"change_role", {P::kRoleChange, true, &Coordinator::op_change_role}},
      {"subscribe_events", {P::kEventsSubscribe, false, &Coordinator::op_subscribe_events}},
      {"list_sessions", {P::kSessionMonitor, false, &Coordinator::op_list_sessions}},
      {"migrate_session", {P::kSessionMigrate, true, &Coordinator::op_migrate_session}},
      {"revoke_session", {P::kSessionRevoke, true, &Coordinator::op_revoke_session}},
      {"enroll_agent", {P::kAgentEnroll, true, &Coordinator::op_enroll_agent, /*slow: hashes a password*/ true}},
      {"backup_state", {P::kStateBackup, false, &Coordinator::op_backup_state, /*slow: copies the store*/ true}},
  };
}

Result<Reply> Coordinator::handle(const Request& request, const RequestOrigin& origin) {
  Result<Reply> result = Error{ErrorCode::kInternalError, ""};
  try {
    result = dispatch(request, origin);
  } catch (const std::exception& e) {
    // A shared store that cannot be reached (stage 4's Redis during a failover, past its deadline): the request
    // fails as a whole and says so; the connection and the server carry on.
    spdlog::error("{} failed: {}", request.type, e.what());
    return Error{ErrorCode::kInternalError, "the coordinator's store is unavailable; retry shortly"};
  }
  if (!result) {
    Json data{{"type", request.type}, {"code", to_string(result.error().code)}};
    // Who the refused request claimed to be (a login's agent id): what an audit of failed attempts needs.
    // Peer text, so bounded; the event is JSON, so it arrives escaped.
    if (const auto claimed = request.payload.find("agent_id");
        claimed != request.payload.end() && claimed->is_string()) {
      const auto& text = claimed->get_ref<const std::string&>();
      std::size_t cut = std::min<std::size_t>(text.size(), 128);
      while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      data["claimed_agent_id"] = text.substr(0, cut);  // cut between UTF-8 characters
    }
    publish("request_rejected", Caller{"unknown", Role::kObserver, request.session_id}, request, origin,
            std::move(data));
  }
  return result;
}

void Coordinator::record_unreadable(const Error& error, const Json& request_id, const RequestOrigin& origin) {
  parts_.guards.record_front_refusal(error.code);
  publish("request_rejected", Caller{"unknown"}, Request{request_id}, origin, Json{{"code", to_string(error.code)}});
}

Status Coordinator::set_control_mode(std::string_view name, GuardMode mode) {
  const auto rows = parts_.guards.rows();
  const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.name == name; });
  if (row == rows.end()) {
    return Error{ErrorCode::kInvalidField, "this stage has no control named '" + std::string(name) +
                                               "' (lab controls --stage N lists them)"};
  }
  // The guard that finds the caller (a SessionGuard) stays while it is the only one: without it nothing knows
  // who calls. Other authentication guards (a request signature) need a caller and may go.
  const auto sessions = parts_.guards.guards_in(Phase::kAuthentication, GuardMode::kEnforce);
  const auto is_session_guard = [](const Guard* g) { return dynamic_cast<const SessionGuard*>(g) != nullptr; };
  const bool finds_caller = std::any_of(sessions.begin(), sessions.end(), [&](const Guard* g) {
    return g->name() == name && is_session_guard(g);
  });
  if (finds_caller && mode != GuardMode::kEnforce && std::count_if(sessions.begin(), sessions.end(), is_session_guard) == 1) {
    return Error{ErrorCode::kInvalidField, "'" + std::string(name) +
                                               "' is the stage's authentication: without it nothing knows who calls"};
  }
  return parts_.guards.set_mode(name, mode);
}

bool Coordinator::is_slow(std::string_view type) const {
  const auto op = operations_.find(type);
  return op != operations_.end() && op->second.slow;
}

Result<Caller> Coordinator::admit(const Request& request, const RequestOrigin& origin, Permission permission) {
  const bool opens_session = permission == Permission::kSessionOpen;
  if (parts_.admission && !opens_session) {
    struct Recording {
      OptimisticAdmission& admission;
      ~Recording() { admission.discard(); }  // whatever happens, the thread stops recording
    } recording{*parts_.admission};
    recording.admission.begin();
    GuardChain::Tally tally;
    auto caller = run_guards(request, origin, permission, &tally);
    if (caller) {
      parts_.sessions->on_accepted(*caller);
      if (recording.admission.commit()) {
        parts_.guards.count(tally, GuardContext{request, origin, permission, *caller});
        return caller;
      }
    }
  }
  // Not admitted in one round trip (refused, abandoned, or a step that did not hold): nothing was written, and the
  // chain runs control by control for the exact answer.
  auto caller = run_guards(request, origin, permission);
  if (caller && !opens_session) parts_.sessions->on_accepted(*caller);
  return caller;
}

Result<Caller> Coordinator::run_guards(const Request& request, const RequestOrigin& origin, Permission permission,
                                       GuardChain::Tally* tally) {
  GuardContext context{request, origin, permission, std::nullopt};
  const bool opens_session = permission == Permission::kSessionOpen;
  for (Phase phase : {Phase::kBeforeAuthentication, Phase::kAuthentication, Phase::kBinding, Phase::kAuthorization,
                      Phase::kPayload}) {
    // A login has no caller yet: only the guards that need none look at it.
    if (opens_session && phase != Phase::kBeforeAuthentication && phase != Phase::kPayload) continue;
    if (auto rejected = parts_.guards.run(phase, context, tally)) {
      if (tally) return rejected->error;  // an optimistic run: the ordinary run logs the refusal
      spdlog::log(parts_.options.log_refusals ? spdlog::level::warn : spdlog::level::debug, "refused {} from {}: {} ({})",
                  request.type, origin.peer.to_string(), to_string(rejected->error.code), rejected->audit_detail);
      return rejected->error;
    }
  }
  if (opens_session) return Caller{"unknown"};
  if (!context.caller) return Error{ErrorCode::kInternalError, "this stage has no authentication control"};
  return std::move(*context.caller);
}

Result<Reply> Coordinator::dispatch(const Request& request, const RequestOrigin& origin) {
  const auto op = operations_.find(request.type);
  if (op == operations_.end()) {
    return Error{ErrorCode::kUnknownType, "unknown request type '" + request.type + "'"};
  }
  auto caller = admit(request, origin, op->second.permission);
  if (!caller) return caller.error();
  auto reply = (this->*(op->second.handler))(*caller, request, origin);
  // A change is acknowledged only once the stores vouch it is durable (stage 3's journal; a no-op elsewhere).
  if (reply && op->second.mutates) {
    if (auto durable = parts_.stores->wait_durable(); !durable) {
      return Error{ErrorCode::kInternalError, "the change could not be made durable; it may be lost"};
    }
  }
  return reply;
}

Json Coordinator::session_ref(const std::optional<std::string>& session_id) const {
  if (!session_id) return nullptr;
  if (parts_.options.publish_session_ids) return *session_id;
  return "fp:" + security::sha256_hex(*session_id).substr(0, 12);
}

void Coordinator::publish(std::string_view kind, const Caller& caller, const Request& request,
                          const RequestOrigin& origin, Json data) {
  // Nobody listening: no event is built, and no session fingerprint is hashed.
  if (!events_.may_have_listeners()) return;
  events_.publish(Json{{"kind", kind},
                       {"agent_id", caller.agent_id},
                       {"role", to_string(caller.role)},
                       {"session", session_ref(caller.session_id)},
                       {"peer", origin.peer.to_string()},
                       {"peer_address", origin.peer.address},
                       {"request_id", request.request_id},
                       {"data", std::move(data)}});
}

}  // namespace lab::coordinator

#include "stage1_insecure/insecure_sessions.h"

#include "core/json_fields.h"

namespace lab::stage1 {
namespace {

// What get_session_info shows: everything, times in unix seconds.
Json describe(const store::SessionRecord& s) {
  return Json{{"session_id", s.id},
              {"agent_id", s.agent_id},
              {"role", lab::to_string(s.role)},
              {"created_at", s.created_ms / 1000},
              {"last_seen", s.last_seen_ms / 1000},
              {"client", s.client_address},
              {"logged_out", s.ended}};
}

// The agent a request claims to come from (payload.agent_id), or "anonymous".
std::string claimed_agent(const Json& payload) {
  auto it = payload.find("agent_id");
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string("anonymous");
}

}  // namespace

InsecureSessions::InsecureSessions(store::SessionStore& sessions, store::AgentStore& agents, const Clock& clock)
    : sessions_(sessions), agents_(agents), clock_(clock) {}

Result<coordinator::Caller> InsecureSessions::authenticate(const Request& request,
                                                           const coordinator::RequestOrigin&) {
  // VULN V-018: request.auth (signatures, MACs) is never looked at; a forged or altered request is as good as a real one.
  if (!request.session_id) {
    // VULN V-015: no authentication required — without any session the caller is whoever payload.agent_id claims.
    const std::string claimed = claimed_agent(request.payload);
    const auto known = agents_.find(claimed);
    return coordinator::Caller{claimed, known ? known->role : Role::kObserver, std::nullopt, false};
  }
  const auto s = sessions_.find(*request.session_id);
  if (!s) {
    // VULN V-001: no session validation — an unknown session id is accepted instead of rejected.
    return coordinator::Caller{claimed_agent(request.payload), Role::kObserver, request.session_id, false};
  }
  // VULN V-003: no idle or absolute timeout — created_at and last_seen are recorded but never compared to now.
  // VULN V-004: no binding — the request's address is not compared with s.client; any host may present the id.
  // VULN V-005: shared sessions — the id is a bearer token not tied to a connection or agent; whoever presents it *is* s.agent_id.
  sessions_.touch(s->id, unix_millis(clock_.now()));
  return coordinator::Caller{s->agent_id, s->role, s->id, true};
}

Result<Json> InsecureSessions::login(const Request& request, const coordinator::RequestOrigin& origin) {
  // VULN V-017: no agent identity verification — the agent id is taken from the request; no password, key or certificate.
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto claimed_role, fields::optional_string(request.payload, "role"));
  const auto known = agents_.find(agent_id);
  Role role = known ? known->role : Role::kWorker;
  if (claimed_role) {
    auto parsed = role_from_string(*claimed_role);
    if (!parsed) return Error{ErrorCode::kInvalidField, "payload.role must be one of admin, coordinator, worker, observer"};
    // VULN V-016: anyone can create a coordinator (or admin) session — the claimed role is granted as asked.
    role = *parsed;
  }
  // VULN V-021: permission escalation — the claimed role is also written to the agent directory, so one claim becomes a standing role.
  agents_.set_role(agent_id, role);

  store::SessionRecord s;
  s.agent_id = agent_id;
  s.role = role;
  s.created_ms = s.last_seen_ms = unix_millis(clock_.now());
  s.client_address = origin.peer.address;
  bool adopted = false;
  // VULN V-007: no concurrent session limit — every login adds a session; an agent may hold any number.
  if (request.session_id && !request.session_id->empty()) {
    // VULN V-025: session fixation — a session id chosen by the client is adopted instead of issuing a fresh one.
    s.id = *request.session_id;
    adopted = true;
    sessions_.put(s);
  } else {
    // VULN V-002: predictable session ids — a counter; seeing sess_7 tells you sess_1..sess_6 exist.
    do {
      s.id = "sess_" + std::to_string(++counter_);
    } while (!sessions_.insert(s));
  }
  return Json{{"session_id", s.id}, {"agent_id", s.agent_id}, {"role", lab::to_string(s.role)}, {"adopted", adopted}};
}

Result<Json> InsecureSessions::logout(const coordinator::Caller& caller, const Request&) {
  if (caller.session_id) {
    // VULN V-006: logout only sets a flag that nothing reads; the session keeps working afterwards.
    if (auto s = sessions_.find(*caller.session_id)) {
      s->ended = true;
      sessions_.put(std::move(*s));
    }
  }
  return Json{{"logged_out", true}};
}

Result<Json> InsecureSessions::session_info(const coordinator::Caller& caller, const Request& request) {
  LAB_ASSIGN_OR_RETURN(auto asked, fields::optional_string(request.payload, "session_id"));
  const auto id = asked ? asked : caller.session_id;
  if (!id) return Error{ErrorCode::kAuthRequired, "no session: log in or name payload.session_id"};
  const auto s = sessions_.find(*id);
  if (!s) return Error{ErrorCode::kAuthRequired, "no such session"};
  return describe(*s);
}

void InsecureSessions::on_role_changed(const std::string&, Role) {
  // VULN V-011: stale permissions — live sessions keep the role they were created with; a demoted agent keeps its rights.
}

}  // namespace lab::stage1

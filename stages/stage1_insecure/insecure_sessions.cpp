#include "stage1_insecure/insecure_sessions.h"

#include "core/json_fields.h"

namespace lab::stage1 {
namespace {

Json to_json(const InsecureSession& s) {
  return Json{{"session_id", s.id},       {"agent_id", s.agent_id},   {"role", lab::to_string(s.role)},
              {"created_at", s.created_at}, {"last_seen", s.last_seen}, {"client", s.client},
              {"logged_out", s.logged_out}};
}

// The agent a request claims to come from (payload.agent_id), or "anonymous".
std::string claimed_agent(const Json& payload) {
  auto it = payload.find("agent_id");
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string("anonymous");
}

}  // namespace

InsecureSessions::InsecureSessions(coordinator::AgentDirectory& directory, const Clock& clock)
    : directory_(directory), clock_(clock) {}

Result<coordinator::Caller> InsecureSessions::authenticate(const Request& request,
                                                           const coordinator::RequestOrigin&) {
  // VULN V-018: request.auth (signatures, MACs) is never looked at; a forged or altered request is as good as a real one.
  std::lock_guard lock(mutex_);
  if (!request.session_id) {
    // VULN V-015: no authentication required — without any session the caller is whoever payload.agent_id claims.
    const std::string claimed = claimed_agent(request.payload);
    const auto known = directory_.find(claimed);
    return coordinator::Caller{claimed, known ? known->role : Role::kObserver, std::nullopt, false};
  }
  auto it = sessions_.find(*request.session_id);
  if (it == sessions_.end()) {
    // VULN V-001: no session validation — an unknown session id is accepted instead of rejected.
    return coordinator::Caller{claimed_agent(request.payload), Role::kObserver, request.session_id, false};
  }
  InsecureSession& s = it->second;
  // VULN V-003: no idle or absolute timeout — created_at and last_seen are recorded but never compared to now.
  // VULN V-004: no binding — the request's address is not compared with s.client; any host may present the id.
  // VULN V-005: shared sessions — the id is a bearer token not tied to a connection or agent; whoever presents it *is* s.agent_id.
  s.last_seen = unix_seconds(clock_.now());
  return coordinator::Caller{s.agent_id, s.role, s.id, true};
}

Result<Json> InsecureSessions::login(const Request& request, const coordinator::RequestOrigin& origin) {
  // VULN V-017: no agent identity verification — the agent id is taken from the request; no password, key or certificate.
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto claimed_role, fields::optional_string(request.payload, "role"));
  const auto known = directory_.find(agent_id);
  Role role = known ? known->role : Role::kWorker;
  if (claimed_role) {
    auto parsed = role_from_string(*claimed_role);
    if (!parsed) return Error{ErrorCode::kInvalidField, "payload.role must be one of admin, coordinator, worker, observer"};
    // VULN V-016: anyone can create a coordinator (or admin) session — the claimed role is granted as asked.
    role = *parsed;
  }
  // VULN V-021: permission escalation — the claimed role is also written to the agent directory, so one claim becomes a standing role.
  directory_.set_role(agent_id, role);

  std::lock_guard lock(mutex_);
  InsecureSession s;
  bool adopted = false;
  if (request.session_id && !request.session_id->empty()) {
    // VULN V-025: session fixation — a session id chosen by the client is adopted instead of issuing a fresh one.
    s.id = *request.session_id;
    adopted = true;
  } else {
    // VULN V-002: predictable session ids — a counter; seeing sess_7 tells you sess_1..sess_6 exist.
    do {
      s.id = "sess_" + std::to_string(++counter_);
    } while (sessions_.contains(s.id));
  }
  s.agent_id = agent_id;
  s.role = role;
  s.created_at = s.last_seen = unix_seconds(clock_.now());
  s.client = origin.peer.address;
  // VULN V-007: no concurrent session limit — every login adds a session; an agent may hold any number.
  sessions_[s.id] = s;
  return Json{{"session_id", s.id}, {"agent_id", s.agent_id}, {"role", lab::to_string(s.role)}, {"adopted", adopted}};
}

Result<Json> InsecureSessions::logout(const coordinator::Caller& caller, const Request&) {
  std::lock_guard lock(mutex_);
  if (caller.session_id) {
    auto it = sessions_.find(*caller.session_id);
    // VULN V-006: logout only sets a flag that nothing reads; the session keeps working afterwards.
    if (it != sessions_.end()) it->second.logged_out = true;
  }
  return Json{{"logged_out", true}};
}

Result<Json> InsecureSessions::session_info(const coordinator::Caller& caller, const Request& request) {
  LAB_ASSIGN_OR_RETURN(auto asked, fields::optional_string(request.payload, "session_id"));
  const auto id = asked ? asked : caller.session_id;
  if (!id) return Error{ErrorCode::kAuthRequired, "no session: log in or name payload.session_id"};
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(*id);
  if (it == sessions_.end()) return Error{ErrorCode::kAuthRequired, "no such session"};
  return to_json(it->second);
}

void InsecureSessions::on_role_changed(const std::string&, Role) {
  // VULN V-011: stale permissions — live sessions keep the role they were created with; a demoted agent keeps its rights.
}

Json InsecureSessions::snapshot() const {
  std::lock_guard lock(mutex_);
  Json list = Json::array();
  for (const auto& [id, s] : sessions_) list.push_back(to_json(s));
  return Json{{"counter", counter_}, {"sessions", std::move(list)}};
}

Json InsecureSessions::empty_snapshot() const { return Json{{"counter", 0}, {"sessions", Json::array()}}; }

void InsecureSessions::restore(const Json& snapshot) {
  std::unordered_map<std::string, InsecureSession> fresh;
  for (const auto& j : snapshot.at("sessions")) {
    InsecureSession s;
    s.id = j.at("session_id").get<std::string>();
    s.agent_id = j.at("agent_id").get<std::string>();
    s.role = role_from_string(j.at("role").get<std::string>()).value_or(Role::kObserver);
    s.created_at = j.value("created_at", std::int64_t{0});
    s.last_seen = j.value("last_seen", std::int64_t{0});
    s.client = j.value("client", std::string{});
    s.logged_out = j.value("logged_out", false);
    fresh.emplace(s.id, std::move(s));
  }
  std::lock_guard lock(mutex_);
  counter_ = snapshot.at("counter").get<std::uint64_t>();
  sessions_ = std::move(fresh);
}

}  // namespace lab::stage1

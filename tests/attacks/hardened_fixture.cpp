#include "hardened_fixture.h"

#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include <fstream>

#include "coordinator/policy_guards.h"
#include "coordinator/role_permissions.h"
#include "core/clock.h"
#include "embedded/embedded_files.h"
#include "stage2_improved/improved_sessions.h"
#include "stage2_improved/input_rules.h"
#include "sealed_codec.h"
#include "store/memory_store_set.h"

namespace lab::testing {
namespace {

using coordinator::Caller;
using coordinator::RequestOrigin;

class GuardedSessions final : public coordinator::SessionPolicy {
 public:
  GuardedSessions(std::unique_ptr<coordinator::SessionPolicy> inner, const attacks::StageSettings& t,
                  std::filesystem::path audit_log)
      : inner_(std::move(inner)), absolute_ms_(t.absolute_timeout.count()), audit_log_(std::move(audit_log)) {}

  Result<Caller> authenticate(const Request& request, const RequestOrigin& origin) override {
    auto caller = inner_->authenticate(request, origin);
    if (!caller) {
      audit("request refused", request, origin, caller.error());
      return caller;
    }
    const auto now = unix_millis(system_clock().now());
    std::lock_guard lock(mutex_);
    auto it = meta_.find(*caller->session_id);
    if (it == meta_.end()) return Error{ErrorCode::kAuthRequired, "session revoked"};
    Meta& m = it->second;
    if (m.address != origin.peer.address) return Error{ErrorCode::kAuthFailed, "session bound to another address"};
    if (now - m.created_ms > absolute_ms_) return Error{ErrorCode::kSessionExpired, "absolute lifetime reached"};
    if (!m.request_ids.insert(request.request_id.dump()).second) {
      return Error{ErrorCode::kReplayDetected, "request id already used in this session"};
    }
    m.recent.push_back(now);
    while (!m.recent.empty() && m.recent.front() < now - 1000) m.recent.pop_front();
    if (m.recent.size() > 200) return Error{ErrorCode::kRateLimited, "more than 200 requests per second"};
    return caller;
  }

  Result<Json> login(const Request& request, const RequestOrigin& origin) override {
    const std::string agent = request.payload.value("agent_id", Json("")).is_string()
                                  ? request.payload.value("agent_id", std::string{})
                                  : std::string{};
    {
      std::lock_guard lock(mutex_);
      if (failures_[agent] >= 5) return Error{ErrorCode::kAuthFailed, "account locked"};
      int live = 0;
      for (const auto& [id, m] : meta_) live += m.agent == agent;
      if (live >= 3) return Error{ErrorCode::kPermissionDenied, "at most 3 sessions per agent"};
    }
    auto r = inner_->login(request, origin);
    std::lock_guard lock(mutex_);
    if (!r) {
      ++failures_[agent];
      audit_locked("login failed", request, origin, r.error());
      return r;
    }
    meta_[r->value("session_id", "")] = Meta{agent, origin.peer.address, unix_millis(system_clock().now()), {}, {}};
    return r;
  }

  Result<Json> logout(const Caller& caller, const Request& request) override {
    auto r = inner_->logout(caller, request);
    std::lock_guard lock(mutex_);
    if (caller.session_id) meta_.erase(*caller.session_id);
    return r;
  }

  Result<Json> session_info(const Caller& caller, const Request& request) override {
    return inner_->session_info(caller, request);
  }

  void on_role_changed(const std::string& agent_id, Role role) override {
    inner_->on_role_changed(agent_id, role);
    std::lock_guard lock(mutex_);
    std::erase_if(meta_, [&](const auto& kv) { return kv.second.agent == agent_id; });
  }

  void audit(const char* what, const Request& request, const RequestOrigin& origin, const Error& error) {
    std::lock_guard lock(mutex_);
    audit_locked(what, request, origin, error);
  }
  void audit_locked(const char* what, const Request& request, const RequestOrigin& origin, const Error& error) {
    if (audit_log_.empty()) return;
    std::ofstream(audit_log_, std::ios::app)
        << Json{{"event", what}, {"peer", origin.peer.to_string()}, {"claimed", request.payload.value("agent_id", Json())},
                {"type", request.type}, {"code", to_string(error.code)}}
               .dump(-1, ' ', false, Json::error_handler_t::replace)
        << "\n";
  }

 private:
  struct Meta {
    std::string agent;
    std::string address;
    std::int64_t created_ms;
    std::set<std::string> request_ids;
    std::deque<std::int64_t> recent;
  };
  std::unique_ptr<coordinator::SessionPolicy> inner_;
  std::int64_t absolute_ms_;
  std::filesystem::path audit_log_;
  std::mutex mutex_;
  std::map<std::string, Meta> meta_;
  std::map<std::string, int> failures_;
};

// Roles on every sensitive permission.
std::unique_ptr<coordinator::RolePermissions> make_strict_access() {
  using coordinator::Permission;
  return std::make_unique<coordinator::RolePermissions>(coordinator::RolePermissions::Rules{
      {Permission::kProjectCreate, {Role::kCoordinator, Role::kAdmin}},
      {Permission::kTaskCreate, {Role::kCoordinator, Role::kAdmin}},
      {Permission::kRoleChange, {Role::kAdmin}},
      {Permission::kEventsSubscribe, {Role::kObserver, Role::kAdmin}},
  });
}

// Content checks on top of stage 2's lengths: no markup, template, traversal, quote or line-break characters.
Status check_content(std::string_view op, const Json& payload) {
  if (auto s = stage2::check_lengths(op, payload); !s) return s;
  bool bad = false;
  std::function<void(const Json&)> visit = [&](const Json& v) {
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      for (const char* needle : {"<", ">", "${", "../", "\r", "\n", "'", "--"}) bad = bad || s.find(needle) != std::string::npos;
    } else if (v.is_number_float()) {
      bad = bad || !std::isfinite(v.get<double>()) || std::abs(v.get<double>()) > 1e12;
    } else if (v.is_structured()) {
      for (const auto& item : v) visit(item);
    }
  };
  for (const char* field : {"name", "description", "metadata"}) {
    if (auto it = payload.find(field); it != payload.end()) visit(*it);
  }
  if (bad) return Error{ErrorCode::kInvalidField, "payload contains characters this fixture does not accept"};
  return ok_status();
}

}  // namespace

std::unique_ptr<coordinator::CoordinatorServer> make_hardened_server(const attacks::StageSettings& settings,
                                                                     const std::filesystem::path& state_dir,
                                                                     const std::string& sealing_key,
                                                                     const std::optional<net::TlsServerFiles>& tls) {
  auto credentials =
      stage2::CredentialStore::from_json(*embedded::file("sample_data/valid_credentials.json"), /*bcrypt_cost=*/4);
  auto build = [&] {
    coordinator::CoordinatorParts parts;
    std::optional<store::StateFileOptions> file;
    if (!state_dir.empty()) {
      // Sealed, written through before each change returns, refused when it does not authenticate.
      file = store::StateFileOptions{.path = state_dir / "state.sealed",
                                     .codec = std::make_shared<SealedCodec>(sealing_key)};
    }
    parts.stores = std::make_shared<store::MemoryStoreSet>(system_clock(), std::move(file));
    stage2::SessionOptions options;
    options.idle_timeout = settings.idle_timeout;
    parts.sessions = std::make_unique<GuardedSessions>(
        std::make_unique<stage2::ImprovedSessions>(std::move(*credentials), parts.stores->sessions(),
                                                   parts.stores->agents(), options),
        settings, state_dir.empty() ? std::filesystem::path() : state_dir / "audit.jsonl");
    parts.access = make_strict_access();
    parts.options.validation = coordinator::ValidationPolicy{stage2::kMaxMessageBytes, true};
    parts.guards.add(std::make_unique<coordinator::SessionGuard>(*parts.sessions,
                                                                 coordinator::ControlLabel{"fixture-sessions", {}}));
    parts.guards.add(std::make_unique<coordinator::AccessGuard>(*parts.access, coordinator::ControlLabel{"strict-roles", {}}));
    parts.guards.add(
        std::make_unique<coordinator::PayloadRulesGuard>(check_content, coordinator::ControlLabel{"content-rules", {}}));
    parts.options.check_versions = true;
    parts.options.object_checks = true;
    return parts;
  };
  net::LineServerOptions server;
  server.port = 0;
  server.threads = 2;
  server.idle_timeout = settings.idle_timeout;
  server.tls = tls;
  return std::make_unique<coordinator::CoordinatorServer>(build(), server);
}

}  // namespace lab::testing

#include "stage5_web/stage5.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "coordinator/current_role_access.h"
#include "coordinator/lockout_guard.h"
#include "coordinator/policy_guards.h"
#include "coordinator/property_control.h"
#include "coordinator/rate_limit_guard.h"
#include "security/lab_ca_directory.h"
#include "security/login_lockout.h"
#include "security/rate_budget.h"
#include "security/rate_limiter.h"
#include "stage2_improved/input_rules.h"
#include "stage3_secure/payload_schemas.h"
#include "stage3_secure/secure_sessions.h"
#include "stage3_secure/stage3.h"
#include "stage5_web/web_sessions.h"
#include "web/web_front.h"
#include "web/web_guards.h"

namespace lab::stage5 {
namespace {

namespace fs = std::filesystem;
using coordinator::ControlLabel;

// Controls the front applies while it composes its responses; the stage reads their switches.
constexpr const char* kSecurityHeaders = "security-headers";
constexpr const char* kCorsAllowlist = "cors-allowlist";
constexpr const char* kHardenedCookie = "hardened-cookie";
constexpr const char* kOutputEncoding = "output-encoding";
constexpr const char* kOriginCheck = "origin-check";
constexpr const char* kCsrfToken = "csrf-token";
// Checks inside the access-token verification and the refresh endpoint, each switchable on its own.
constexpr const char* kTokenSignature = "token-signature";
constexpr const char* kTokenAlgorithm = "token-algorithm-allowlist";
constexpr const char* kTokenExpiry = "token-expiry";
constexpr const char* kTokenAudience = "token-audience";
constexpr const char* kRefreshRotation = "refresh-rotation";

void add_controls(coordinator::CoordinatorParts& parts, WebSessions& sessions,
                  std::shared_ptr<const web::ResponsePolicy> policy) {
  using namespace coordinator;
  WebSecurityState& s = sessions.state();
  auto& chain = parts.guards;
  chain.add(std::make_unique<RateLimitGuard>(*s.per_address, RateKey::kAddress, RateScope::kEveryRequest,
                                             ControlLabel{"address-rate-limit", {"V-023"}}));
  chain.add(std::make_unique<RateLimitGuard>(*s.logins_per_address, RateKey::kAddress, RateScope::kLoginOnly,
                                             ControlLabel{"login-throttle", {"V-023"}}));
  chain.add(std::make_unique<LockoutGuard>(*s.lockout, ControlLabel{"account-lockout", {"V-026"}}));
  chain.add(std::make_unique<web::OriginGuard>(
      [policy](std::string_view origin) { return policy->origin_allowed(origin); }, ControlLabel{kOriginCheck, {"V-039"}}));
  chain.add(std::make_unique<SessionGuard>(
      sessions, ControlLabel{"access-token", {"V-001", "V-002", "V-003", "V-015", "V-018", "V-027", "V-028"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kTokenSignature, {"V-035"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kTokenAlgorithm, {"V-036"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kTokenExpiry, {"V-037"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kTokenAudience, {"V-042"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kRefreshRotation, {"V-038"}}));
  chain.add(std::make_unique<web::TokenCookieBindingGuard>(ControlLabel{"token-cookie-binding", {"V-004", "V-024"}}));
  chain.add(std::make_unique<web::TokenRevocationGuard>(s.tokens->denylist, ControlLabel{"token-revocation", {"V-006"}}));
  chain.add(std::make_unique<web::CsrfGuard>(s.tokens->csrf, ControlLabel{kCsrfToken, {"V-039"}}));
  chain.add(std::make_unique<RateLimitGuard>(*s.per_agent, RateKey::kAgent, RateScope::kEveryRequest,
                                             ControlLabel{"agent-rate-limit", {"V-023"}}));
  chain.add(std::make_unique<AccessGuard>(*parts.access, ControlLabel{"rbac", {"V-019", "V-011"}}));
  chain.add(std::make_unique<PayloadRulesGuard>(stage3::check_sign_in_payload, ControlLabel{"input-validation", {"V-009"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kSecurityHeaders, {"V-040"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kCorsAllowlist, {"V-041"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kHardenedCookie, {"V-039"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{kOutputEncoding, {"V-031"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{"version-check", {"V-012"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{"object-ownership", {"V-020"}}));
  chain.add(std::make_unique<PropertyControl>(ControlLabel{"audit-log", {"V-030"}}));
}

}  // namespace

std::unique_ptr<coordinator::CoordinatorServer> make_server(const coordinator::StageConfig& config) {
  const fs::path dir = config.certificate_dir;
  const fs::path certificate = dir / (std::string(security::kLabServerName) + ".crt");
  const fs::path key = dir / (std::string(security::kLabServerName) + ".key");
  if (!fs::exists(certificate) || !fs::exists(key)) {
    throw std::invalid_argument("stage 5 needs the lab CA's server certificate: " + certificate.string() +
                                " is missing (run ./lab ca init, or pass --certificates DIR)");
  }
  const auto& off = config.disabled_controls;
  const Clock& clock = *config.clock;
  web::WebTokenOptions token_options;
  if (config.access_token_seconds > 0) token_options.access.lifetime = std::chrono::seconds(config.access_token_seconds);
  token_options.access.verify_signature = !coordinator::is_switched_off(off, kTokenSignature);
  token_options.access.pin_algorithm = !coordinator::is_switched_off(off, kTokenAlgorithm);
  token_options.access.check_expiry = !coordinator::is_switched_off(off, kTokenExpiry);
  token_options.access.check_audience = !coordinator::is_switched_off(off, kTokenAudience);
  for (const auto& audience : config.token_audiences) {
    const bool plain = std::all_of(audience.begin(), audience.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    if (audience.empty() || audience.size() > 100 || !plain || audience == web::kCoordinatorAudience) {
      throw std::invalid_argument("--token-audience must name another service in 1-100 printable characters, not '" +
                                  audience.substr(0, 100) + "'");
    }
  }
  token_options.access.other_audiences = config.token_audiences;
  token_options.rotate_refresh_tokens = !coordinator::is_switched_off(off, kRefreshRotation);
  auto tokens = web::WebTokens::make(token_options, clock);
  if (!tokens) throw std::runtime_error("stage 5 cannot make its token key: " + tokens.error().message);
  // The same budgets as stage 3: every request by address, sign-ins by address (stricter), requests by agent.
  WebSecurityState state{std::move(*tokens),
                         std::make_unique<security::RateLimiter>(
                             clock, stage3::SharedControlState::per_address_limits(config.address_requests_per_second)),
                         std::make_unique<security::RateLimiter>(clock, stage3::SharedControlState::kLoginsPerAddress),
                         std::make_unique<security::RateLimiter>(
                             clock, stage3::SharedControlState::per_agent_limits(config.agent_requests_per_second)),
                         std::make_unique<security::LoginLockout>(clock)};
  WebSessionOptions options;
  if (config.idle_timeout.count() > 0) options.idle_timeout = config.idle_timeout;
  if (config.absolute_timeout.count() > 0) options.absolute_timeout = config.absolute_timeout;
  if (config.max_sessions_per_agent > 0) options.max_sessions_per_agent = config.max_sessions_per_agent;
  options.throttle_refresh = !coordinator::is_switched_off(off, "login-throttle");

  coordinator::CoordinatorParts parts;
  parts.stores = stage3::secure_stores(config);
  stage3::start_audit_trail(*parts.stores, config);
  auto sessions = std::make_unique<WebSessions>(std::move(state), stage3::secure_accounts(config),
                                                parts.stores->sessions(), parts.stores->agents(), options, clock);
  WebSessions& policy = *sessions;
  parts.sessions = std::move(sessions);
  parts.access = std::make_unique<coordinator::CurrentRoleAccess>(stage3::secure_role_rules(), parts.stores->agents());
  parts.options.stage = 5;
  parts.options.validation = coordinator::ValidationPolicy{stage3::kMaxMessageBytes, true};
  parts.options.check_versions = !coordinator::is_switched_off(off, "version-check");
  parts.options.object_checks = !coordinator::is_switched_off(off, "object-ownership");
  parts.options.publish_session_ids = false;
  parts.options.max_tasks_per_project = stage2::kMaxTasksPerProject;

  web::WebFrontOptions front;
  front.server.bind_address = config.bind_address;
  front.server.port = config.port;
  front.server.threads = config.threads;
  front.server.certificate_chain_file = certificate.string();
  front.server.private_key_file = key.string();
  front.server.max_body_bytes = stage3::kMaxMessageBytes;
  if (config.connection_idle_timeout.count() > 0) front.server.idle_timeout = config.connection_idle_timeout;
  for (const auto& origin : config.web_origins) {
    if (!origin.starts_with("https://") || origin.find('/', 8) != std::string::npos || origin.size() > 200) {
      throw std::invalid_argument("--web-origin must be https://HOST[:PORT] with no path, not " + origin);
    }
  }
  front.responses.extra_origins = config.web_origins;
  front.responses.security_headers = !coordinator::is_switched_off(off, kSecurityHeaders);
  front.responses.cors_allowlist = !coordinator::is_switched_off(off, kCorsAllowlist);
  front.hardened_cookies = !coordinator::is_switched_off(off, kHardenedCookie);
  front.output_encoding = !coordinator::is_switched_off(off, kOutputEncoding);
  front.origin_check = !coordinator::is_switched_off(off, kOriginCheck);
  front.csrf_check = !coordinator::is_switched_off(off, kCsrfToken);
  // The Origin check and the CORS answer agree on which origins are the site's own: one policy serves both.
  auto responses = std::make_shared<web::ResponsePolicy>(front.responses);
  add_controls(parts, policy, responses);
  return std::make_unique<coordinator::CoordinatorServer>(
      std::move(parts),
      [&policy, front, responses](coordinator::Coordinator& coordinator) {
        return std::make_unique<web::WebFront>(coordinator, *policy.state().tokens, policy, responses, front);
      },
      clock, off);
}

}  // namespace lab::stage5

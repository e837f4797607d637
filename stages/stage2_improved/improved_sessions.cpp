#include "stage2_improved/improved_sessions.h"

#include <algorithm>
#include <stdexcept>


#include <spdlog/spdlog.h>

#include "core/json_fields.h"
#include "core/uuid4.h"
#include "security/hmac.h"
#include "security/request_signature.h"

namespace lab::stage2 {
namespace {

// The 32-bit seed, or only its low `bits` bits (a test hook that makes a seed search take a second).
std::uint32_t seed_mask(int bits) { return bits >= 32 ? 0xffffffffU : (1U << std::max(bits, 1)) - 1U; }

}  // namespace

ImprovedSessions::ImprovedSessions(CredentialStore credentials, store::SessionStore& sessions,
                                   store::AgentStore& agents, SessionOptions options, const Clock& clock)
    : credentials_(std::move(credentials)),
      sessions_(sessions),
      agents_(agents),
      options_(options),
      clock_(clock),
      id_generator_(std::random_device{}() & seed_mask(options.prng_seed_bits)) {}

std::string ImprovedSessions::new_session_id() {
  std::lock_guard lock(mutex_);
  // FIX V-002: ids are random UUID4s, not a counter; neighbours of your own id tell you nothing.
  // VULN V-027: ...but drawn from std::mt19937_64 seeded with one 32-bit value, not a CSPRNG: one observed id gives away the seed (2^32 tries) and with it every id the process issues.
  const std::uint64_t hi = id_generator_();
  const std::uint64_t lo = id_generator_();
  return format_uuid4(hi, lo);
}

Result<coordinator::Caller> ImprovedSessions::authenticate(const Request& request,
                                                           const coordinator::RequestOrigin& origin) {
  // FIX V-001: a request must name a session this server issued and still holds.
  if (!request.session_id) return Error{ErrorCode::kAuthRequired, "log in first: this operation needs a session"};
  const auto now = unix_millis(clock_.now());
  // One lookup, no copy: the session's times, role, key and its shared binding (agent and address at login).
  const auto found = sessions_.summary_of_id(*request.session_id);
  sweep_expired(now);  // the others; the one presented is judged below, so its holder learns it expired
  // An unknown id is checked against a throwaway key, so the answer (and the
  // work) is the same as for a live id with a missing or wrong signature: a
  // guessed id learns nothing about which ids are live.
  const security::Key256& key = found && found->signing_key ? *found->signing_key : unknown_session_key_;
  // FIX V-018: every request carries an HMAC-SHA256 signature that must verify under the session's key.
  if (auto verified = security::verify_request_signature(request, key); !verified) return verified.error();
  if (!found) return Error{ErrorCode::kSignatureInvalid, "the request signature does not match"};
  const store::SessionSummary& s = *found;
  const std::string& agent_id = s.binding->agent_id;
  // VULN V-003: partial — the idle timeout is enforced, but it is the only lifetime limit.
  // VULN V-028: no absolute timeout — created_ms is recorded but never enforced; a busy session lives forever.
  if (expired(s.last_seen_ms, now)) {
    sessions_.erase(*request.session_id);
    spdlog::info("idle expiry: a session of {} presented from {} after {} ms without activity", agent_id,
                 origin.peer.address, now - s.last_seen_ms);
    return Error{ErrorCode::kSessionExpired, "session expired after inactivity; log in again"};
  }
  const AuthFields& auth = request.auth;  // the signature verified, so agent_id and timestamp are there
  // VULN V-017: partial — the signer's agent id is checked, but "identity" is only knowledge of a shared key; no certificate.
  const std::string* signer = auth.text("agent_id");
  if (!signer || *signer != agent_id) return Error{ErrorCode::kAuthFailed, "auth.agent_id is not the session's agent"};
  const auto stamp = auth.integer("timestamp");
  const std::int64_t now_s = now / 1000;
  const std::int64_t window = options_.timestamp_window.count();
  if (!stamp || *stamp < now_s - window || *stamp > now_s + window) {
    return Error{ErrorCode::kTimestampOutOfWindow, "auth.timestamp is outside the accepted window"};
  }
  // VULN V-022: no nonce — the same signed request verifies again and again for the whole 30-minute window.
  // VULN V-005: the session id plus its key are bearer credentials; whoever holds both is the agent, from any host.
  sessions_.touch(*request.session_id, now);
  // The address at login goes with the caller; the binding control (stage2.cpp) compares it after this signature check.
  return coordinator::Caller{agent_id, s.role, *request.session_id, true, std::nullopt, s.binding};
}

void ImprovedSessions::sweep_expired(std::int64_t now_ms) {
  // Idle-expired sessions are dropped, keys and all, within a second of
  // expiring, whether or not anyone presents them again.
  std::int64_t last = last_sweep_ms_.load(std::memory_order_relaxed);
  if (now_ms - last < kSweepIntervalMs || !last_sweep_ms_.compare_exchange_strong(last, now_ms)) return;
  const auto ended = sessions_.erase_if([&](const store::SessionRecord& s) { return expired(s.last_seen_ms, now_ms); });
  if (ended > 0) spdlog::info("idle expiry: {} session(s) ended after {} ms without activity", ended,
                              options_.idle_timeout.count());
}

bool ImprovedSessions::expired(std::int64_t last_seen_ms, std::int64_t now_ms) const {
  return now_ms - last_seen_ms > options_.idle_timeout.count();
}

Result<Json> ImprovedSessions::login(const Request& request, const coordinator::RequestOrigin& origin) {
  LAB_ASSIGN_OR_RETURN(auto agent_id, fields::required_string(request.payload, "agent_id"));
  LAB_ASSIGN_OR_RETURN(auto password, fields::required_string(request.payload, "password"));
  // VULN V-015: partial — a password is now required, but it is the only factor.
  // VULN V-026: no password policy and no lockout — guesses are checked one after another without limit.
  const auto account_role = credentials_.verify(agent_id, password);
  if (!account_role) {
    spdlog::warn("login failed for '{}' from {}", agent_id, origin.peer.address);
    return Error{ErrorCode::kAuthFailed, "invalid agent id or password"};
  }
  // FIX V-016: the role comes from the server (the account, then the agent directory); a claimed "role" in the request is ignored.
  // VULN V-021: partial — ...but the directory role is whatever change_role last wrote, and change_role checks no role: a worker who promotes itself is admin from its next login.
  const Role role = agents_.role_or_create(agent_id, *account_role);
  const auto now = unix_millis(clock_.now());
  sweep_expired(now);
  store::SessionRecord s;
  s.agent_id = agent_id;
  s.role = role;
  // VULN V-029: HMAC with a shared secret — the server holds the same key (no non-repudiation) and it crosses the wire in the login response.
  s.signing_key = security::Key256::random();
  s.created_ms = s.last_seen_ms = now;
  s.client_address = origin.peer.address;
  // FIX V-025: a session id presented at login is ignored; every login gets a fresh id.
  // VULN V-007: no concurrent session limit — each login adds one more live session for the agent.
  do {
    s.id = new_session_id();
  } while (!sessions_.insert(s));
  spdlog::info("login: {} ({}) from {}", agent_id, lab::to_string(role), origin.peer.address);
  return Json{{"session_id", s.id},
              {"agent_id", s.agent_id},
              {"role", lab::to_string(s.role)},
              {"signing_key", s.signing_key->to_hex()},
              {"idle_timeout_ms", options_.idle_timeout.count()}};
}

Result<Json> ImprovedSessions::logout(const coordinator::Caller& caller, const Request&) {
  // FIX V-006: logout deletes the session; its id and key stop working at once.
  if (caller.session_id) sessions_.erase(*caller.session_id);
  spdlog::info("logout: {}", caller.agent_id);
  return Json{{"logged_out", true}};
}

Result<Json> ImprovedSessions::session_info(const coordinator::Caller& caller, const Request&) {
  const auto s = caller.session_id ? sessions_.find(*caller.session_id) : std::nullopt;
  if (!s) return Error{ErrorCode::kAuthRequired, "no session"};
  return Json{{"session_id", s->id},
              {"agent_id", s->agent_id},
              {"role", lab::to_string(s->role)},
              {"created_ms", s->created_ms},
              {"last_activity_ms", s->last_seen_ms},
              {"client", s->client_address},
              {"idle_timeout_ms", options_.idle_timeout.count()}};
}

void ImprovedSessions::on_role_changed(const std::string&, Role) {
  // VULN V-011: stale permissions — sessions cache the role they were created with; a demotion changes nothing until logout.
}

}  // namespace lab::stage2

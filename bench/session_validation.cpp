#include "session_validation.h"

#include <malloc.h>

#include <algorithm>
#include <string>
#include <vector>

#include "coordinator/caller.h"
#include "core/envelope.h"
#include "core/json_fields.h"
#include "cpu_watch.h"
#include "security/hmac.h"
#include "security/session_token.h"
#include "stage3_secure/secure_sessions.h"
#include "store/memory_store_set.h"

namespace lab::bench {
namespace {

constexpr int kSessionsPerAgent = 3;     // stage 3's default cap
constexpr std::size_t kSample = 65'536;  // ids validated, spread over the table

// The policy needs accounts and a CA to be built; neither is on the lookup path, so both are minimal.
Result<stage3::AccountRoster> minimal_roster() {
  security::Argon2Params cheap;
  cheap.passes = 1;
  cheap.memory_bytes = 64 * 1024;
  return stage3::AccountRoster::from_json(R"({"users":[{"agent_id":"agent-0","password":"x","role":"worker"}]})",
                                          cheap);
}

std::size_t allocated_bytes() { return ::mallinfo2().uordblks; }

}  // namespace

struct SessionValidation::State {
  store::MemoryStoreSet stores;
  std::unique_ptr<stage3::SecureSessions> policy;
  int sessions = 0;
  std::chrono::milliseconds cpu_budget{0};
  double bytes_per_session = 0;
  std::vector<std::string> sample;       // wire ids of sessions spread over the table
  std::vector<security::SessionIdHash> sample_keys;  // the same sessions' stored keys
};

SessionValidation::SessionValidation(std::unique_ptr<State> state) : state_(std::move(state)) {}
SessionValidation::~SessionValidation() = default;
int SessionValidation::sessions() const { return state_->sessions; }
double SessionValidation::bytes_per_session() const { return state_->bytes_per_session; }

Result<std::unique_ptr<SessionValidation>> SessionValidation::prepare(const SessionValidationOptions& o) {
  if (o.sessions < 1) return Error{ErrorCode::kInvalidField, "session validation: sessions must be at least 1"};
  auto roster = minimal_roster();
  if (!roster) return roster.error();
  auto state = std::make_unique<State>();
  auto& stores = state->stores;
  state->policy = std::make_unique<stage3::SecureSessions>(
      std::make_unique<stage3::SecurityState>("", std::move(*roster), system_clock(),
                                              stage3::SharedControlState::in_process(system_clock())),
      stores.sessions(),
      stores.agents(), stage3::SecureSessionOptions{}, system_clock());
  state->sessions = o.sessions;
  state->cpu_budget = o.cpu_budget;

  // The bench's own data first (ids, fingerprints, the record's buffers), so that only the store's allocations
  // fall between the two readings.
  const int agents = (o.sessions + kSessionsPerAgent - 1) / kSessionsPerAgent;
  std::vector<std::string> fingerprints;
  fingerprints.reserve(static_cast<std::size_t>(agents));
  for (int a = 0; a < agents; ++a) fingerprints.push_back(security::random_hex(32));
  std::vector<security::SessionToken> tokens;
  tokens.reserve(static_cast<std::size_t>(o.sessions));
  for (int i = 0; i < o.sessions; ++i) tokens.push_back(security::SessionToken::generate());
  store::SessionRecord record;
  record.role = Role::kWorker;
  record.created_ms = record.last_seen_ms = unix_millis(system_clock().now());
  record.client_name = "lab-agent/1.0";
  record.id = tokens.front().hash().to_hex();
  record.tls_fingerprint = fingerprints.front();

  const std::size_t before = allocated_bytes();
  for (int i = 0; i < o.sessions; ++i) {
    const int a = i / kSessionsPerAgent;
    record.id = tokens[static_cast<std::size_t>(i)].hash().to_hex();
    record.agent_id = "agent-" + std::to_string(a);
    record.client_address = "10." + std::to_string(a >> 16 & 255) + "." + std::to_string(a >> 8 & 255) + "." +
                            std::to_string(a & 255);
    record.tls_fingerprint = fingerprints[static_cast<std::size_t>(a)];
    if (!stores.sessions().insert(record)) return Error{ErrorCode::kInternalError, "a session id came twice"};
  }
  const std::size_t after = allocated_bytes();
  state->bytes_per_session = static_cast<double>(after - std::min(after, before)) / static_cast<double>(o.sessions);
  const std::size_t every = std::max<std::size_t>(1, tokens.size() / kSample);
  for (std::size_t i = 0; i < tokens.size(); i += every) {
    state->sample.push_back(tokens[i].to_wire());
    state->sample_keys.push_back(tokens[i].hash());
  }
  return std::unique_ptr<SessionValidation>(new SessionValidation(std::move(state)));
}

namespace {

// Runs `step` in batches until `budget` of this thread's CPU time is used; returns steps per CPU second.
template <class Step>
Result<double> per_cpu_second(std::chrono::milliseconds budget, Step&& step) {
  const double limit = std::chrono::duration<double>(budget).count();
  const double start = thread_cpu_seconds();
  double used = 0;
  std::size_t done = 0;
  while (used < limit && done < 100'000'000) {
    for (int i = 0; i < 256; ++i, ++done) {
      if (auto s = step(done); !s) return s.error();
    }
    used = thread_cpu_seconds() - start;
  }
  return used > 0 ? static_cast<double>(done) / used : 0.0;
}

}  // namespace

Result<SessionValidation::Rates> SessionValidation::round() {
  auto& policy = *state_->policy;
  auto& store = state_->stores.sessions();
  const auto& sample = state_->sample;
  const auto& keys = state_->sample_keys;
  const coordinator::RequestOrigin origin{};
  Request request;
  request.type = "get_project";
  request.session_id.emplace();
  const std::int64_t now = unix_millis(system_clock().now());
  Rates rates;
  LAB_ASSIGN_OR_RETURN(rates.validations_per_cpu_second,
                       per_cpu_second(state_->cpu_budget, [&](std::size_t i) -> Status {
                         request.session_id->assign(sample[i % sample.size()]);
                         auto caller = policy.authenticate(request, origin);
                         if (!caller) {
                           return Error{ErrorCode::kInternalError, "a live session was refused: " +
                                                                       caller.error().message};
                         }
                         policy.on_accepted(*caller);
                         return ok_status();
                       }));
  LAB_ASSIGN_OR_RETURN(rates.lookups_per_cpu_second, per_cpu_second(state_->cpu_budget, [&](std::size_t i) -> Status {
                         const auto& key = keys[i % keys.size()];
                         if (!store.summary(key) || !store.touch_hashed(key, now)) {
                           return Error{ErrorCode::kInternalError, "a stored session was not found"};
                         }
                         return ok_status();
                       }));
  // The floor under the first step, whatever the table: every request's id is decoded and hashed by the libraries.
  volatile unsigned char kept = 0;  // the hash is used, so no step can be left out
  LAB_ASSIGN_OR_RETURN(rates.decodes_per_cpu_second, per_cpu_second(state_->cpu_budget, [&](std::size_t i) -> Status {
                         auto token = security::SessionToken::from_wire(sample[i % sample.size()]);
                         if (!token) return token.error();
                         kept = token->hash().bytes()[0];
                         return ok_status();
                       }));
  return rates;
}

}  // namespace lab::bench

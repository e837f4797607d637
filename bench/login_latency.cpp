#include "login_latency.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "client/session.h"
#include "server_process.h"

namespace lab::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kLoginsPerAddress = 8;        // within the login throttle's burst of 10
constexpr int kMaxFloodAttempts = 100'000;  // per flooder and round
const char* const kAgents[] = {"bob", "dana", "carol", "worker-testing", "worker-code-review", "worker-documentation"};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

struct FloodTally {
  std::mutex mutex;
  std::map<std::string, std::uint64_t> answers;
  std::uint64_t attempts = 0;
};

// Logs in as the insider with a wrong password from `address` until `stop`, reconnecting when the server hangs up.
void flood(const net::ClientOptions& endpoint, const std::string& address, const std::atomic<bool>& stop,
           FloodTally& tally) {
  const auto& profile = client::profile_for(3);
  client::Identity insider = profile.lab_identity("", client::kInsiderWithoutAccount, Role::kWorker);
  insider.agent_id = client::kInsiderWithoutAccount;
  insider.password = "not-the-password";
  net::ClientOptions from = endpoint;
  from.bind_address = address;
  from.timeout = 5s;
  std::map<std::string, std::uint64_t> answers;
  std::unique_ptr<net::ProtocolClient> connection;
  int attempts = 0;
  for (; attempts < kMaxFloodAttempts && !stop.load(); ++attempts) {
    if (!connection) {
      auto opened = client::open_connection_as(3, from, insider);
      if (!opened) {
        ++answers["no connection"];
        std::this_thread::sleep_for(10ms);
        continue;
      }
      connection = std::move(*opened);
    }
    auto answer = client::login(*connection, 3, insider);
    if (answer) {
      ++answers["ok"];
    } else {
      ++answers[std::string(to_string(answer.error().code))];
      if (answer.error().code == ErrorCode::kConnectionFailed) connection.reset();
    }
  }
  std::lock_guard lock(tally.mutex);
  tally.attempts += static_cast<std::uint64_t>(attempts);
  for (const auto& [code, n] : answers) tally.answers[code] += n;
}

}  // namespace

struct LoginLatency::State {
  LoginLatencyOptions options;
  ServerProcess server;
  int next_address = 0;  // per agent: addresses used so far
};

LoginLatency::LoginLatency(std::unique_ptr<State> state) : state_(std::move(state)) {}
LoginLatency::~LoginLatency() = default;

Result<std::unique_ptr<LoginLatency>> LoginLatency::prepare(const LoginLatencyOptions& o) {
  if (o.clients < 1 || o.clients > 6 || o.logins < 1 || o.flooders < 0 || o.flooders > 100) {
    return Error{ErrorCode::kInvalidField, "login latency: 1-6 agents, at least 1 login each, 0-100 flooders"};
  }
  auto server = ServerProcess::start(
      StageLaunch{.stage = 3, .threads = 1, .work_dir = o.work_dir / "logins", .in_memory = false, .binary = o.binary});
  if (!server) return server.error();
  return std::unique_ptr<LoginLatency>(new LoginLatency(std::make_unique<State>(State{o, std::move(*server), 0})));
}

Result<LoginRound> LoginLatency::round() {
  const auto& o = state_->options;
  const net::ClientOptions endpoint = state_->server.endpoint();
  const int per_agent_addresses = (o.logins + kLoginsPerAddress - 1) / kLoginsPerAddress;
  if (state_->next_address + per_agent_addresses > 250) {
    return Error{ErrorCode::kInvalidField, "login latency: the agents' loopback addresses are used up"};
  }
  const int first_address = state_->next_address;
  state_->next_address += per_agent_addresses;

  std::atomic<bool> stop{false};
  FloodTally tally;
  std::vector<std::thread> flooders;
  for (int f = 0; f < o.flooders; ++f) {
    flooders.emplace_back(flood, endpoint, "127.0.0." + std::to_string(100 + f), std::cref(stop), std::ref(tally));
  }
  const auto flood_start = Clock::now();
  std::this_thread::sleep_for(200ms);  // the flood is under way before the first legitimate login

  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::atomic<int> failed{0};
  std::vector<std::thread> agents;
  const auto start = Clock::now();
  for (int c = 0; c < o.clients; ++c) {
    agents.emplace_back([&, c] {
      const auto& profile = client::profile_for(3);
      client::Identity who = profile.lab_identity("", kAgents[c], Role::kWorker);
      std::unique_ptr<net::ProtocolClient> connection;
      for (int i = 0; i < o.logins; ++i) {
        if (i % kLoginsPerAddress == 0) {
          net::ClientOptions from = endpoint;
          from.bind_address = "127.0." + std::to_string(10 + c) + "." +
                              std::to_string(1 + first_address + i / kLoginsPerAddress);
          auto opened = client::open_connection_as(3, from, who);
          connection = opened ? std::move(*opened) : nullptr;
        }
        if (!connection) {
          ++failed;
          continue;
        }
        const auto t0 = Clock::now();
        auto answer = client::login(*connection, 3, who);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!answer) {
          ++failed;
          continue;
        }
        std::lock_guard lock(mutex);
        latencies_ms.push_back(ms);
      }
    });
  }
  for (auto& t : agents) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  for (auto& t : flooders) t.join();
  const double flood_seconds = std::chrono::duration<double>(Clock::now() - flood_start).count();

  LoginRound r;
  r.p50_ms = percentile(latencies_ms, 0.50);
  r.p99_ms = percentile(latencies_ms, 0.99);
  r.logins_per_second = seconds > 0 ? static_cast<double>(latencies_ms.size()) / seconds : 0;
  r.failed = failed.load();
  r.flood_attempts = tally.attempts;
  r.flood_per_second = flood_seconds > 0 ? static_cast<double>(tally.attempts) / flood_seconds : 0;
  r.flood_answers = std::move(tally.answers);
  if (latencies_ms.empty()) {
    return Error{ErrorCode::kInternalError, "no legitimate login succeeded; see " + (o.work_dir / "logins").string()};
  }
  return r;
}

}  // namespace lab::bench

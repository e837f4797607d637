#include "stage5_bench.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <ostream>
#include <thread>

#include "core/domain.h"
#include "server_process.h"
#include "sse_subscribers.h"
#include "web/browser_client.h"
#include "wrk_run.h"

namespace lab::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kAlicePassword = "alice-wonderland-2026";

web::HttpsClientOptions endpoint_of(const ServerProcess& server, std::string local_address = {}) {
  return web::HttpsClientOptions{.host = "127.0.0.1", .port = server.port(),
                                 .ca_file = (server.certificate_dir() / "ca.crt").string(), .server_name = "localhost",
                                 .local_address = std::move(local_address)};
}

// One sign-in from `address`, timed; nullopt when it was refused. As carol: alice's sessions are the reader's, and
// the session cap would end the oldest of them.
std::optional<double> timed_sign_in(const ServerProcess& server, const std::string& address) {
  web::BrowserClient browser(endpoint_of(server, address));
  const auto start = Clock::now();
  auto r = browser.sign_in("carol", "carol-keeps-the-board-7");
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!r || r->status != 200) return std::nullopt;
  return ms;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Reader {
  web::BrowserClient browser;
  std::string token, fingerprint, project;
};

}  // namespace

Stage5Figures measure_stage5(const Stage5Options& o, std::ostream& log) {
  Stage5Figures f;
  f.subscribers_requested = o.subscribers;
  raise_open_file_limit();
  auto server = ServerProcess::start(StageLaunch{.stage = 5, .threads = o.server_threads, .work_dir = o.work_dir / "stage5",
                                                  .extra_args = {"--agent-rate-limit", "1000000",
                                                                 "--address-rate-limit", "1000000"},
                                                  .binary = o.binary});
  if (!server) {
    f.problems.push_back(server.error().message);
    return f;
  }
  Reader reader{web::BrowserClient(endpoint_of(*server))};
  auto signed_in = reader.browser.sign_in("alice", kAlicePassword);
  if (!signed_in || signed_in->status != 200) {
    f.problems.push_back("the reader could not sign in");
    return f;
  }
  reader.token = Json::parse(signed_in->body).value("access_token", "");
  reader.fingerprint = reader.browser.cookie("__Host-fgp").value_or("");
  auto project = reader.browser.request("POST", "/api/projects", Json{{"name", "bench"}}.dump());
  if (!project || project->status != 201) {
    f.problems.push_back("the reader could not create its project");
    return f;
  }
  reader.project = Json::parse(project->body).value("id", "");
  const std::string base = "https://127.0.0.1:" + std::to_string(server->port());
  const std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + reader.token},
                                                              {"Cookie", "__Host-fgp=" + reader.fingerprint}};
  for (int round = 1; round <= o.rounds; ++round) {
    log << "stage5 round " << round << "/" << o.rounds << std::endl;
    // 1. the API against the same server's static answers
    auto statics = run_wrk(base + "/static/app.css", o.wrk_threads, o.connections, std::chrono::seconds(o.wrk_seconds), {});
    auto api = run_wrk(base + "/api/projects/" + reader.project, o.wrk_threads, o.connections, std::chrono::seconds(o.wrk_seconds), auth);
    if (statics && api) {
      f.static_per_second.rounds.push_back(statics->requests_per_second);
      f.api_per_second.rounds.push_back(api->requests_per_second);
      f.api_over_static.rounds.push_back(ratio(api->requests_per_second, statics->requests_per_second));
      f.api_p99_ms.rounds.push_back(api->p99_ms);
      f.static_p99_ms.rounds.push_back(statics->p99_ms);
      f.api_non_2xx += api->non_2xx;
      auto paced = run_wrk(base + "/api/projects/" + reader.project, o.wrk_threads, o.connections,
                           std::chrono::seconds(o.wrk_seconds), auth, api->requests_per_second / 2);
      if (paced) {
        f.api_paced_per_second.rounds.push_back(paced->requests_per_second);
        f.api_paced_p99_ms.rounds.push_back(paced->p99_ms);
        f.api_non_2xx += paced->non_2xx;
      } else {
        f.problems.push_back("wrk, paced: " + paced.error().message);
      }
    } else {
      f.problems.push_back("wrk: " + (statics ? api.error().message : statics.error().message));
    }
    // 2. live subscribers
    SubscriberTarget target{.port = server->port(),
                            .ca_file = (server->certificate_dir() / "ca.crt").string(),
                            .path = "/api/projects/" + reader.project + "/events",
                            .cookie_header = reader.browser.cookie_header()};
    auto held = hold_subscribers(
        target, o.subscribers,
        [&]() -> Status {
          auto task = reader.browser.request("POST", "/api/projects/" + reader.project + "/tasks",
                                             Json{{"specialty", "testing"}, {"description", "round"}}.dump());
          if (!task || task->status != 201) return Error{ErrorCode::kInternalError, "the event's task was refused"};
          return ok_status();
        },
        std::chrono::seconds(15));
    if (held) {
      f.subscribers_held.rounds.push_back(held->held);
      f.subscribers_received.rounds.push_back(held->received);
      f.delivery_ms.rounds.push_back(held->deliver_seconds * 1000);
    } else {
      f.problems.push_back("subscribers: " + held.error().message);
    }
    // 3. sign-ins, quiet, then while other addresses flood sign-ins with names nobody has (each costs a hash)
    std::vector<double> quiet, flooded;
    const std::string net = "127.0." + std::to_string(20 + round) + ".";
    for (int i = 0; i < o.sign_ins; ++i) {
      if (auto ms = timed_sign_in(*server, net + "1")) quiet.push_back(*ms);
      else ++f.failed_sign_ins;
    }
    std::atomic<bool> stop{false};
    std::mutex answers_mutex;
    std::vector<std::thread> flood;
    for (int i = 0; i < o.flooders; ++i) {
      flood.emplace_back([&, i] {
        web::BrowserClient flooder(endpoint_of(*server, "127.0." + std::to_string(40 + round) + "." + std::to_string(1 + i)));
        for (int n = 0; !stop.load() && n < 2000; ++n) {
          auto r = flooder.sign_in("flood-" + std::to_string(i) + "-" + std::to_string(n), "wrong");
          std::lock_guard lock(answers_mutex);
          ++f.flood_answers[r ? r->status : 0];
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the flood is under way
    for (int i = 0; i < o.sign_ins; ++i) {
      if (auto ms = timed_sign_in(*server, net + "2")) flooded.push_back(*ms);
      else ++f.failed_sign_ins;
    }
    stop = true;
    for (auto& t : flood) t.join();
    f.sign_in_quiet_ms.rounds.push_back(median_of(quiet));
    f.sign_in_flood_ms.rounds.push_back(median_of(flooded));
    f.flood_over_quiet.rounds.push_back(ratio(median_of(flooded), median_of(quiet)));
  }
  return f;
}

void print_stage5(const Stage5Figures& f, const Stage5Options& o, std::ostream& out) {
  out << "\nstage 5 (web), " << o.server_threads << " io thread(s): " << o.rounds << " rounds; wrk -c" << o.connections << " -t" << o.wrk_threads << " -d"
      << o.wrk_seconds << "s over HTTPS keep-alive\n";
  print_figure(out, "authenticated API GET / static answer", f.api_over_static, 2, "", ">= 0.5");
  print_figure(out, "  authenticated API GETs", f.api_per_second, 0, " requests/s", "");
  print_figure(out, "  static answers", f.static_per_second, 0, " requests/s", "");
  const std::string at = " at " + std::to_string(o.connections) + " connections";
  print_figure(out, "API p99 latency" + at + ", at half the capacity", f.api_paced_p99_ms, 2, " ms", "< 10");
  print_figure(out, "  requests/s offered so (paced connections)", f.api_paced_per_second, 0, " requests/s", "");
  print_figure(out, "API p99 latency" + at + ", saturated", f.api_p99_ms, 2, " ms", "");
  print_figure(out, "  static p99 latency, saturated", f.static_p99_ms, 2, " ms", "");
  print_note(out, "saturated, every connection waits for the others: the mean is connections / throughput (Little's law)");
  if (f.api_non_2xx > 0) print_note(out, std::to_string(f.api_non_2xx) + " API answers were not 200: see the server's log");
  print_figure(out, "live subscribers held (of " + std::to_string(f.subscribers_requested) + ")", f.subscribers_held, 0,
               "", ">= 1000");
  print_figure(out, "  of them receiving the task event", f.subscribers_received, 0, "", "all held");
  print_figure(out, "  from the event to the last receipt", f.delivery_ms, 1, " ms", "");
  print_figure(out, "sign-in latency, quiet (median)", f.sign_in_quiet_ms, 1, " ms", "");
  print_figure(out, "sign-in latency during a sign-in flood (median)", f.sign_in_flood_ms, 1, " ms", "");
  print_figure(out, "  flood / quiet", f.flood_over_quiet, 2, "", "");
  std::string answers;
  for (const auto& [status, n] : f.flood_answers) {
    answers += (answers.empty() ? "" : ", ") + std::to_string(n) + " x " + (status ? std::to_string(status) : "no answer");
  }
  if (!answers.empty()) print_note(out, "the flood was answered: " + answers);
  if (f.failed_sign_ins > 0) print_note(out, std::to_string(f.failed_sign_ins) + " legitimate sign-ins were refused");
  for (const auto& p : f.problems) out << "  not measured: " << p << "\n";
}

}  // namespace lab::bench

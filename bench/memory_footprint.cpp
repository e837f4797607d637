#include "memory_footprint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <thread>

#include "client/client_profile.h"
#include "net/load_driver.h"
#include "server_process.h"

namespace lab::bench {
namespace {

using namespace std::chrono_literals;

// Raises this process's open-file limit to its hard limit (children inherit it); returns the limit.
int raise_open_file_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
}

// Opens up to `count` TCP connections that send nothing; returns their descriptors.
std::vector<int> open_idle_connections(std::uint16_t port, int count) {
  std::vector<int> fds;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < count; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) break;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      break;
    }
    fds.push_back(fd);
  }
  return fds;
}

// Waits until the private resident size stops growing (the server accepted and set up what it was sent).
std::size_t settled_rss(const ServerProcess& server) {
  std::size_t last = server.private_resident_bytes();
  for (int i = 0; i < 50; ++i) {
    std::this_thread::sleep_for(100ms);
    const std::size_t now = server.private_resident_bytes();
    if (now == last) return now;
    last = now;
  }
  return last;
}

MemoryFigure idle_connections(int stage, int count, int fd_limit, const MemoryOptions& o) {
  MemoryFigure f{stage, "idle connection", count};
  auto server = ServerProcess::start_stage(stage, 1, o.work_dir);
  if (!server) return f;
  for (int fd : open_idle_connections(server->port(), 1)) ::close(fd);  // the first accept sets up what later ones reuse
  const std::size_t before = settled_rss(*server);
  // Each connection costs a descriptor here and one in the server, which shares this limit.
  auto fds = open_idle_connections(server->port(), std::min(count, fd_limit - 256));
  const std::size_t after = settled_rss(*server);
  f.reached = static_cast<int>(fds.size());
  f.bytes_each = f.reached ? static_cast<double>(after - std::min(after, before)) / f.reached : 0;
  for (int fd : fds) ::close(fd);
  return f;
}

MemoryFigure live_sessions(int stage, int count, const MemoryOptions& o) {
  MemoryFigure f{stage, "live session", count};
  auto server = ServerProcess::start_stage(stage, 1, o.work_dir);
  if (!server) return f;
  const auto& profile = client::profile_for(stage);
  const Json login{{"type", "login"},
                   {"payload", profile.login_payload(profile.lab_identity("bench-reader", "bob", Role::kObserver))}};
  const int reach = profile.checks_passwords() ? std::min(count, o.max_hashed_logins) : count;
  net::LoadPlan plan{.port = server->port(), .connections = 8, .requests_per_connection = 1};
  const std::string line = login.dump();
  plan.make_request = [&line](int, int) { return line; };
  plan.check = [](int, int, std::string_view r) { return r.ends_with("\"status\":\"ok\"}"); };
  plan.pipeline = 16;
  plan.deadline = std::chrono::seconds(180);
  // One login per connection first: it makes the agent's record and sets up what every later login reuses, which
  // is not what a session holds. Those sessions stay, and are not counted.
  if (net::run_load(plan).ok != static_cast<std::uint64_t>(plan.connections)) return f;
  const std::size_t before = settled_rss(*server);
  plan.requests_per_connection = (reach + 7) / 8;
  const auto result = net::run_load(plan);
  const std::size_t after = settled_rss(*server);
  f.reached = static_cast<int>(result.ok);
  f.bytes_each = f.reached ? static_cast<double>(after - std::min(after, before)) / f.reached : 0;
  return f;
}

}  // namespace

std::vector<MemoryFigure> measure_memory(const MemoryOptions& o, std::ostream& log) {
  const int fd_limit = raise_open_file_limit();
  std::vector<MemoryFigure> out;
  for (int stage : o.stages) {
    for (int count : o.counts) {
      out.push_back(idle_connections(stage, count, fd_limit, o));
      out.push_back(live_sessions(stage, count, o));
      log << "  stage " << stage << ": " << out[out.size() - 2].reached << " idle connections, "
          << out.back().reached << " sessions measured\n";
    }
  }
  return out;
}

void print_memory(const std::vector<MemoryFigure>& figures, std::ostream& out) {
  out << "\nprivate resident memory (growth of the server's RssAnon / count, after a warm-up)\n"
      << std::left << std::setw(8) << "stage" << std::setw(18) << "what" << std::right << std::setw(9) << "asked"
      << std::setw(9) << "reached" << std::setw(12) << "bytes each" << "   target\n";
  for (const auto& f : figures) {
    out << std::left << std::setw(8) << f.stage << std::setw(18) << f.what << std::right << std::setw(9) << f.asked
        << std::setw(9) << f.reached << std::fixed << std::setprecision(0) << std::setw(12) << f.bytes_each << "   "
        << (f.what == "idle connection" ? "<= 8192" : "<= 512")
        << (f.reached < f.asked ? (f.what == "idle connection" ? "  (stopped at the open-file limit)"
                                                               : "  (stopped: a password hash per login)")
                                : "")
        << "\n";
  }
}

}  // namespace lab::bench

#include "server_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "client/client_profile.h"
#include "net/line_client.h"
#include "runner/port_file.h"
#include "runner/process.h"
#include "security/lab_ca_directory.h"

namespace lab::bench {
namespace {

using namespace std::chrono_literals;
using runner::find_program;
using runner::free_loopback_port;


// Waits until `port` answers `probe` with a line starting with `expect`.
bool answers(std::uint16_t port, const std::string& probe, const std::string& expect) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    net::LineClient client;
    if (client.connect(net::ClientOptions{.host = "127.0.0.1", .port = port, .timeout = 1s}).ok() &&
        client.send_line(probe).ok()) {
      auto line = client.read_line();
      if (line && line->rfind(expect, 0) == 0) return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

double ticks_to_seconds(unsigned long long ticks) { return static_cast<double>(ticks) / ::sysconf(_SC_CLK_TCK); }

}  // namespace

Result<ServerProcess> ServerProcess::start(const StageLaunch& launch) {
  const std::string name = "stage" + std::to_string(launch.stage);
  std::filesystem::create_directories(launch.work_dir);
  const auto port_file = launch.work_dir / (name + ".port");
  std::filesystem::remove(port_file);
  std::vector<std::string> args{"--log-level", "warn",   "serve",       "--stage", std::to_string(launch.stage),
                                "--port",      "0",      "--port-file", port_file.string(),
                                "--threads",   std::to_string(launch.threads)};
  if (launch.in_memory) {
    args.push_back("--in-memory");
  } else {
    const auto state_dir = launch.work_dir / (name + "-state");
    std::filesystem::remove_all(state_dir);
    args.insert(args.end(), {"--state-dir", state_dir.string()});
  }
  if (launch.stage == 2) args.insert(args.end(), {"--bcrypt-cost", "4"});
  std::filesystem::path certificate_dir;
  if (client::profile_for(launch.stage).uses_certificates()) {
    certificate_dir = launch.work_dir / (name + "-ca");
    std::filesystem::remove_all(certificate_dir);
    const auto holders = client::lab_certificate_holders();
    if (auto made = security::prepare_lab_ca_directory(certificate_dir, holders); !made) {
      return Error{ErrorCode::kInternalError, "cannot make " + name + "'s lab CA: " + made.error().message};
    }
    args.insert(args.end(), {"--certificates", certificate_dir.string()});
  }
  args.insert(args.end(), launch.extra_args.begin(), launch.extra_args.end());
  const auto log = launch.work_dir / (name + ".log");
  auto process = launch.binary.empty() ? runner::ChildProcess::spawn_self(args, log)
                                       : runner::ChildProcess::spawn(launch.binary, args, log);
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::uint16_t port = 0;
    if (std::ifstream in(port_file); in && (in >> port)) {
      return ServerProcess(std::move(process), port, certificate_dir);
    }
    if (!process.running()) break;
    std::this_thread::sleep_for(10ms);
  }
  return Error{ErrorCode::kInternalError, name + " did not start; see " + log.string()};
}

Result<ServerProcess> ServerProcess::start_redis(const std::filesystem::path& work_dir) {
  const auto binary = find_program("redis-server");
  if (binary.empty()) return Error{ErrorCode::kInternalError, "redis-server is not installed (./lab setup installs it)"};
  const auto free_port = free_loopback_port();
  if (!free_port) return free_port.error();
  const std::uint16_t port = *free_port;
  std::filesystem::create_directories(work_dir);
  const std::vector<std::string> args{"--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", work_dir.string(), "--protected-mode", "yes"};
  auto process = runner::ChildProcess::spawn(binary, args, work_dir / "redis.log");
  if (!answers(port, "PING", "+PONG")) return Error{ErrorCode::kInternalError, "redis-server did not answer PING"};
  return ServerProcess(std::move(process), port);
}

net::ClientOptions ServerProcess::endpoint() const {
  net::ClientOptions options{.host = "127.0.0.1", .port = port_};
  if (!certificate_dir_.empty()) {
    options.tls = net::TlsClientFiles{.ca_file = (certificate_dir_ / "ca.crt").string(),
                                      .server_name = security::kLabServerName};
  }
  return options;
}

CpuTimes ServerProcess::cpu() const {
  std::ifstream in("/proc/" + std::to_string(process_.pid()) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are 14 and 15.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;
  unsigned long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return {ticks_to_seconds(utime), ticks_to_seconds(stime)};
}

std::size_t ServerProcess::private_resident_bytes() const {
  std::ifstream in("/proc/" + std::to_string(process_.pid()) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("RssAnon:", 0) == 0) return std::stoull(line.substr(8)) * 1024;
  }
  return 0;
}

CpuTimes own_cpu() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

}  // namespace lab::bench

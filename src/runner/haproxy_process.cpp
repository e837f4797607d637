#include "runner/haproxy_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/file_io.h"
#include "core/temporary_directory.h"

namespace lab::runner {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxStatsBytes = 1 << 20;

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The address to reach a listener bound to `address` from this host: a wildcard or a host name is reached on
// 127.0.0.1 (the lab runs everything on loopback).
in_addr reachable(const std::string& address) {
  in_addr a{};
  if (inet_pton(AF_INET, address.c_str(), &a) != 1 || a.s_addr == htonl(INADDR_ANY)) a.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on `fd` until `deadline`; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, remaining_ms(deadline));
    if (r > 0) return true;
    if (r == 0 || errno != EINTR) return false;
  }
}

bool connect_before(const Socket& s, const std::string& address, std::uint16_t port, Clock::time_point deadline) {
  if (s.fd() < 0) return false;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr = reachable(address);
  if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0) return true;
  if (errno != EINPROGRESS || !wait_for(s.fd(), POLLOUT, deadline)) return false;
  int error = 0;
  socklen_t len = sizeof error;
  return ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
}

bool accepts_connection(const std::string& address, std::uint16_t port, std::chrono::milliseconds timeout) {
  Socket s;
  return connect_before(s, address, port, Clock::now() + timeout);
}

// An HTTP/1.1 chunked body decoded (HAProxy answers chunked even to HTTP/1.0); nullopt when malformed.
std::optional<std::string> dechunk(std::string_view in) {
  std::string out;
  for (;;) {
    const auto eol = in.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    std::size_t size = 0;
    const auto digits = in.substr(0, std::min(eol, in.find(';')));
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), size, 16);
    if (parsed.ec != std::errc() || digits.empty()) return std::nullopt;
    in.remove_prefix(eol + 2);
    if (size == 0) return out;
    if (in.size() < size + 2 || in.substr(size, 2) != "\r\n") return std::nullopt;
    out.append(in.substr(0, size));
    in.remove_prefix(size + 2);
  }
}

// GET `path` over HTTP/1.0 (the server closes after the body); the body of a 200 answer.
Result<std::string> http_get(const std::string& address, std::uint16_t port, const std::string& path,
                             std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  Socket s;
  const std::string where = address + ":" + std::to_string(port);
  if (!connect_before(s, address, port, deadline)) {
    return Error{ErrorCode::kConnectionFailed, "cannot connect to " + where};
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + address + "\r\n\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    if (!wait_for(s.fd(), POLLOUT, deadline)) return Error{ErrorCode::kConnectionFailed, "timeout writing to " + where};
    const ssize_t n = ::send(s.fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return Error{ErrorCode::kConnectionFailed, "write failed: " + where};
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[16384];
  for (;;) {
    if (!wait_for(s.fd(), POLLIN, deadline)) return Error{ErrorCode::kConnectionFailed, "timeout reading " + where};
    const ssize_t n = ::recv(s.fd(), buffer, sizeof buffer, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Error{ErrorCode::kConnectionFailed, "read failed: " + where};
    }
    response.append(buffer, static_cast<std::size_t>(n));
    if (response.size() > kMaxStatsBytes) return Error{ErrorCode::kMessageTooLarge, "answer too large: " + where};
  }
  const auto body = response.find("\r\n\r\n");
  if (!response.starts_with("HTTP/1.") || response.size() < 12 || response.compare(9, 3, "200") != 0 ||
      body == std::string::npos) {
    return Error{ErrorCode::kInternalError, "unexpected answer from " + where + ": " +
                                                response.substr(0, response.find('\r'))};
  }
  std::string headers = response.substr(0, body);
  for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (headers.find("transfer-encoding: chunked") == std::string::npos) return response.substr(body + 4);
  auto decoded = dechunk(std::string_view(response).substr(body + 4));
  if (!decoded) return Error{ErrorCode::kInternalError, "malformed chunked answer from " + where};
  return std::move(*decoded);
}

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto at = line.find(separator);
    fields.push_back(line.substr(0, at));
    if (at == std::string_view::npos) return fields;
    line.remove_prefix(at + 1);
  }
}

// The "[ALERT]" lines of HAProxy's output (why it refused to start), or its last line.
std::string alerts_in(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::string line, alerts, last;
  while (std::getline(in, line)) {
    if (line.find("[ALERT]") != std::string::npos) alerts += (alerts.empty() ? "" : "; ") + line;
    if (!line.empty()) last = line;
  }
  return alerts.empty() ? last : alerts;
}

}  // namespace

Result<std::vector<BalancerServerState>> parse_haproxy_stats(std::string_view csv, std::string_view backend) {
  std::vector<BalancerServerState> states;
  std::size_t pxname = 0, svname = 1, status = std::string_view::npos;
  bool header = false;
  for (auto line : split(csv, '\n')) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.starts_with("# ")) {
      const auto names = split(line.substr(2), ',');
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == "pxname") pxname = i;
        if (names[i] == "svname") svname = i;
        if (names[i] == "status") status = i;
      }
      header = true;
      continue;
    }
    if (!header || status == std::string_view::npos) break;
    const auto fields = split(line, ',');
    if (fields.size() <= std::max({pxname, svname, status}) || fields[pxname] != backend) continue;
    if (fields[svname] == "BACKEND" || fields[svname] == "FRONTEND") continue;
    states.push_back(BalancerServerState{std::string(fields[svname]), std::string(fields[status])});
  }
  if (!header || status == std::string_view::npos) {
    return Error{ErrorCode::kInvalidField, "not HAProxy statistics: no header line naming a status column"};
  }
  return states;
}

Status check_haproxy_config(const std::filesystem::path& config, const std::filesystem::path& binary,
                            std::chrono::milliseconds deadline) {
  auto dir = TemporaryDirectory::create("lab-haproxy-check-");
  if (!dir) return dir.error();
  const auto log = dir->path() / "check.log";
  ChildProcess check;
  try {
    check = ChildProcess::spawn(binary, {"-c", "-f", config.string()}, log);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternalError, e.what()};
  }
  const auto until = Clock::now() + deadline;
  while (check.running() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const bool timed_out = check.running();
  const int status = check.terminate(std::chrono::milliseconds(0));
  if (timed_out) return Error{ErrorCode::kInternalError, "haproxy -c did not finish in time"};
  if (status != 0) {
    return Error{ErrorCode::kInvalidField, "haproxy refused " + config.string() + " (exit " + std::to_string(status) +
                                               "): " + alerts_in(log)};
  }
  return ok_status();
}

Result<std::unique_ptr<HaproxyProcess>> HaproxyProcess::start(const HaproxyOptions& options) {
  auto text = haproxy_config(options.plan);
  if (!text) return text.error();
  std::error_code ec;
  std::filesystem::create_directories(options.work_dir, ec);
  if (ec) return Error{ErrorCode::kInternalError, "cannot create " + options.work_dir.string() + ": " + ec.message()};
  std::unique_ptr<HaproxyProcess> balancer(new HaproxyProcess(options));
  if (!write_file(balancer->config_file(), *text)) {
    return Error{ErrorCode::kInternalError, "cannot write " + balancer->config_file().string()};
  }
  try {
    balancer->process_ =
        ChildProcess::spawn(options.binary, {"-f", balancer->config_file().string(), "-db"}, balancer->log_file());
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternalError, e.what()};
  }
  const auto deadline = Clock::now() + options.start_deadline;
  while (Clock::now() < deadline) {
    if (!balancer->process_.running()) break;
    if (accepts_connection(options.plan.bind_address, options.plan.port, std::chrono::milliseconds(200))) {
      return balancer;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  balancer->process_.terminate();
  const std::string why = alerts_in(balancer->log_file());
  return Error{ErrorCode::kInternalError, "haproxy did not start" + (why.empty() ? std::string() : ": " + why) +
                                              "; see " + balancer->log_file().string()};
}

HaproxyProcess::~HaproxyProcess() { process_.terminate(); }

Status HaproxyProcess::stop(std::chrono::milliseconds grace) {
  const int status = process_.terminate(grace);
  // HAProxy answers SIGTERM by exiting with 128 + SIGTERM.
  if (status != 0 && status != 128 + SIGTERM && status != -SIGTERM) return Error{ErrorCode::kInternalError, "haproxy exited with status " + std::to_string(status)};
  return ok_status();
}

Result<std::vector<BalancerServerState>> HaproxyProcess::server_states(std::chrono::milliseconds timeout) const {
  if (!options_.plan.stats) return Error{ErrorCode::kInvalidRequest, "the balancer has no statistics listener"};
  auto csv = http_get(options_.plan.stats->address, options_.plan.stats->port, "/stats;csv", timeout);
  if (!csv) return csv.error();
  return parse_haproxy_stats(*csv, kBalancerBackend);
}

bool HaproxyProcess::wait_for_status(std::string_view server, std::string_view status,
                                     std::chrono::milliseconds deadline) const {
  const auto until = Clock::now() + deadline;
  do {
    if (auto states = server_states(); states) {
      for (const auto& s : *states) {
        if (s.name == server && s.status == status) return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (Clock::now() < until);
  return false;
}

}  // namespace lab::runner

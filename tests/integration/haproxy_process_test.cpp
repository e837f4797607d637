// The real HAProxy in front of two stand-in coordinators on loopback: a client reaches a coordinator through the
// balancer, the coordinator learns the client's address from the PROXY v2 header, health checks arrive as PROXY
// LOCAL, and a coordinator that goes away is reported DOWN while new connections go to the one left.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "core/temporary_directory.h"
#include "runner/haproxy_process.h"

namespace lab::runner {
namespace {

using namespace std::chrono_literals;

constexpr unsigned char kProxyV2Signature[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

int listen_on_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  port = ntohs(sa.sin_port);
  return fd;
}

// A loopback port nobody listens on right now (for HAProxy's own listeners).
std::uint16_t unused_port() {
  std::uint16_t port = 0;
  const int fd = listen_on_loopback(port);
  if (fd >= 0) ::close(fd);
  return port;
}

void set_timeouts(int fd, std::chrono::milliseconds t) {
  timeval tv{static_cast<time_t>(t.count() / 1000), static_cast<suseconds_t>((t.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool read_exactly(int fd, unsigned char* out, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// What a PROXY v2 header said: LOCAL (a health check) or PROXY with the client's IPv4 address and port.
struct ProxyHeader {
  bool local = false;
  std::string source;
  std::uint16_t source_port = 0;
};

// A stand-in coordinator: skips a PROXY v2 header if one comes, greets with its name, then echoes.
class EchoBackend {
 public:
  explicit EchoBackend(std::string name) : name_(std::move(name)) {
    listener_ = listen_on_loopback(port_);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~EchoBackend() { stop(); }

  std::uint16_t port() const { return port_; }
  bool listening() const { return listener_ >= 0; }

  // Gone, as a killed coordinator: no more listener, open connections closed.
  void stop() {
    if (stopping_.exchange(true)) return;
    if (accept_thread_.joinable()) accept_thread_.join();
    ::close(listener_);
    std::lock_guard lock(mutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    for (auto& t : workers_) t.join();
  }

  std::vector<ProxyHeader> headers() {
    std::lock_guard lock(mutex_);
    return headers_;
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      set_timeouts(fd, 5s);
      std::lock_guard lock(mutex_);
      connections_.push_back(fd);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    unsigned char fixed[16];
    if (read_exactly(fd, fixed, sizeof fixed)) {
      std::string pending;
      if (std::memcmp(fixed, kProxyV2Signature, sizeof kProxyV2Signature) == 0) {
        const std::size_t length = (std::size_t{fixed[14]} << 8) | fixed[15];
        std::vector<unsigned char> rest(length);
        if (length == 0 || read_exactly(fd, rest.data(), length)) record(fixed, rest);
      } else {
        pending.assign(reinterpret_cast<const char*>(fixed), sizeof fixed);
      }
      const std::string greeting = name_ + "\n" + pending;
      if (::send(fd, greeting.data(), greeting.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(greeting.size())) {
        char buffer[4096];
        for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
          if (::send(fd, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
        }
      }
    }
    std::lock_guard lock(mutex_);
    std::erase(connections_, fd);
    ::close(fd);
  }

  void record(const unsigned char* fixed, const std::vector<unsigned char>& rest) {
    ProxyHeader h;
    h.local = (fixed[12] & 0x0F) == 0;
    if (!h.local && fixed[13] == 0x11 && rest.size() >= 12) {  // TCP over IPv4: src, dst, src port, dst port
      char text[INET_ADDRSTRLEN] = {};
      ::inet_ntop(AF_INET, rest.data(), text, sizeof text);
      h.source = text;
      h.source_port = static_cast<std::uint16_t>((rest[8] << 8) | rest[9]);
    }
    std::lock_guard lock(mutex_);
    headers_.push_back(h);
  }

  std::string name_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> workers_;
  std::vector<ProxyHeader> headers_;
};

// A client connection through the balancer: which backend greeted it, and its own port.
struct ThroughBalancer {
  int fd = -1;
  std::string backend;
  std::uint16_t local_port = 0;
  ~ThroughBalancer() {
    if (fd >= 0) ::close(fd);
  }
};

std::unique_ptr<ThroughBalancer> connect_through(std::uint16_t port) {
  auto c = std::make_unique<ThroughBalancer>();
  c->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  set_timeouts(c->fd, 3s);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(c->fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return c;
  sockaddr_in local{};
  socklen_t len = sizeof local;
  ::getsockname(c->fd, reinterpret_cast<sockaddr*>(&local), &len);
  c->local_port = ntohs(local.sin_port);
  char ch = 0;
  while (::recv(c->fd, &ch, 1, 0) == 1 && ch != '\n' && c->backend.size() < 64) c->backend += ch;
  return c;
}

std::string echo(const ThroughBalancer& c, const std::string& text) {
  if (::send(c.fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size())) return {};
  std::string back(text.size(), '\0');
  if (!read_exactly(c.fd, reinterpret_cast<unsigned char*>(back.data()), back.size())) return {};
  return back;
}

// The balancer's view, for a failure message.
std::string states_of(const HaproxyProcess& balancer) {
  const auto states = balancer.server_states();
  if (!states.ok()) return "no statistics: " + states.error().message;
  std::string text;
  for (const auto& s : *states) text += s.name + "=" + s.status + " ";
  return text;
}

class HaproxyProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kHaproxyBinary)) << "haproxy is not installed (./lab setup installs it)";
    auto dir = TemporaryDirectory::create("lab-haproxy-");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
    ASSERT_TRUE(first_.listening() && second_.listening());
    HaproxyOptions o;
    o.work_dir = dir_->path();
    o.plan.bind_address = "127.0.0.1";
    o.plan.port = unused_port();
    o.plan.servers = {{"first", "127.0.0.1", first_.port()}, {"second", "127.0.0.1", second_.port()}};
    o.plan.stats = BalancerStats{"127.0.0.1", unused_port()};
    o.plan.max_connections = 256;
    auto started = HaproxyProcess::start(o);
    ASSERT_TRUE(started.ok()) << started.error().message;
    balancer_ = std::move(started).value();
  }

  std::optional<TemporaryDirectory> dir_;
  EchoBackend first_{"first"};
  EchoBackend second_{"second"};
  std::unique_ptr<HaproxyProcess> balancer_;  // declared last: stopped before the backends go
};

TEST_F(HaproxyProcessTest, AClientReachesACoordinatorWhichLearnsTheClientAddress) {
  ASSERT_TRUE(balancer_->wait_for_status("first", "UP", 3s)) << states_of(*balancer_);
  ASSERT_TRUE(balancer_->wait_for_status("second", "UP", 3s)) << states_of(*balancer_);
  auto client = connect_through(balancer_->port());
  ASSERT_TRUE(client->backend == "first" || client->backend == "second") << "greeted by '" << client->backend << "'";
  EXPECT_EQ(echo(*client, "hello through the balancer\n"), "hello through the balancer\n");

  auto& reached = client->backend == "first" ? first_ : second_;
  bool found = false;
  for (const auto& h : reached.headers()) {
    if (!h.local && h.source_port == client->local_port) {
      found = true;
      EXPECT_EQ(h.source, "127.0.0.1");
    }
  }
  EXPECT_TRUE(found) << "no PROXY v2 header named the client's port " << client->local_port;
  // The balancer's health checks are the LOCAL connections: no client address to bind.
  bool check_seen = false;
  for (const auto& h : first_.headers()) check_seen = check_seen || h.local;
  EXPECT_TRUE(check_seen) << "health checks arrive with a PROXY v2 LOCAL header";
}

TEST_F(HaproxyProcessTest, AKilledCoordinatorIsDownAndNewConnectionsGoToTheOther) {
  ASSERT_TRUE(balancer_->wait_for_status("first", "UP", 3s)) << states_of(*balancer_);
  ASSERT_TRUE(balancer_->wait_for_status("second", "UP", 3s)) << states_of(*balancer_);
  first_.stop();
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_TRUE(balancer_->wait_for_status("first", "DOWN", 2500ms)) << states_of(*balancer_);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed);
  EXPECT_LT(took.count(), 2500);
  auto states = balancer_->server_states();
  ASSERT_TRUE(states.ok()) << states.error().message;
  for (const auto& s : *states) {
    if (s.name == "second") {
      EXPECT_TRUE(s.up()) << s.status;
    }
  }
  for (int i = 0; i < 4; ++i) {
    auto client = connect_through(balancer_->port());
    EXPECT_EQ(client->backend, "second");
    EXPECT_EQ(echo(*client, "still served\n"), "still served\n");
  }
  EXPECT_TRUE(balancer_->stop().ok());
  EXPECT_FALSE(balancer_->running());
}

TEST(HaproxyProcess, ABalancerThatCannotStartSaysSo) {
  auto dir = TemporaryDirectory::create("lab-haproxy-");
  ASSERT_TRUE(dir.ok());
  HaproxyOptions o;
  o.work_dir = dir->path();
  o.binary = "/bin/false";  // exits at once, never listens
  o.plan.port = unused_port();
  o.plan.servers = {{"only", "127.0.0.1", unused_port()}};
  o.start_deadline = 3s;
  const auto before = std::chrono::steady_clock::now();
  auto started = HaproxyProcess::start(o);
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("haproxy did not start"), std::string::npos) << started.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s) << "an exited process is noticed before the deadline";

  o.plan.servers.clear();
  auto refused = HaproxyProcess::start(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidField);
}

}  // namespace
}  // namespace lab::runner

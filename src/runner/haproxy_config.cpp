#include "runner/haproxy_config.h"

#include <set>
#include <sstream>
#include <string_view>

namespace lab::runner {
namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxAddressLength = 253;  // the longest DNS name
constexpr std::size_t kMaxServers = 64;
constexpr int kMaxConnectionsCeiling = 10000;  // HAProxy needs about two descriptors per connection

bool safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

// A word the configuration can hold as it is: no space, newline, '#' or quote that would end it or start
// another directive.
bool safe_word(std::string_view s, std::size_t max_length) {
  if (s.empty() || s.size() > max_length) return false;
  for (char c : s) {
    if (!safe_char(c)) return false;
  }
  return true;
}

bool loopback(std::string_view address) { return address == "localhost" || address.starts_with("127."); }

Error invalid(const std::string& what) { return Error{ErrorCode::kInvalidField, "balancer plan: " + what}; }

Status check_plan(const BalancerPlan& plan) {
  if (!safe_word(plan.bind_address, kMaxAddressLength)) return invalid("bind address is not an IPv4 address or host name");
  if (plan.port == 0) return invalid("the frontend port must be 1..65535");
  if (plan.servers.empty()) return invalid("no backend server");
  if (plan.servers.size() > kMaxServers) return invalid("more than " + std::to_string(kMaxServers) + " servers");
  std::set<std::string> names;
  for (const auto& s : plan.servers) {
    if (!safe_word(s.name, kMaxNameLength)) return invalid("a server name must be letters, digits, '.', '_' or '-'");
    if (!names.insert(s.name).second) return invalid("server " + s.name + " is named twice");
    if (!safe_word(s.address, kMaxAddressLength)) return invalid("server " + s.name + " has no usable address");
    if (s.port == 0) return invalid("server " + s.name + " needs a port 1..65535");
  }
  if (plan.stats) {
    if (!safe_word(plan.stats->address, kMaxAddressLength) || !loopback(plan.stats->address)) {
      return invalid("the statistics listener must be on a loopback address");
    }
    if (plan.stats->port == 0) return invalid("the statistics port must be 1..65535");
    if (plan.stats->address == plan.bind_address && plan.stats->port == plan.port) {
      return invalid("the statistics listener and the frontend share an address and port");
    }
  }
  if (plan.max_connections < 1 || plan.max_connections > kMaxConnectionsCeiling) {
    return invalid("max connections must be 1.." + std::to_string(kMaxConnectionsCeiling));
  }
  if (plan.check_interval < std::chrono::milliseconds(50) || plan.check_interval > std::chrono::minutes(1)) {
    return invalid("the health-check interval must be 50 ms..60 s");
  }
  return ok_status();
}

}  // namespace

Result<std::string> haproxy_config(const BalancerPlan& plan) {
  if (auto checked = check_plan(plan); !checked) return checked.error();
  std::ostringstream out;
  out << "# HAProxy in front of stage 4's coordinators (Session Security Lab).\n"
         "# Runs in the foreground (haproxy -db): no daemon, no pidfile. Its warnings (a server going DOWN or UP)\n"
         "# and alerts go to its stderr; each connection's log line only when asked for.\n"
         "global\n"
      << (plan.log_connections ? "    log stderr format raw local0 info\n" : "")
      << "    maxconn "
      << plan.max_connections
      << "\n"
         "    hard-stop-after 5s\n"
         "\n"
         "defaults\n"
         "    mode tcp\n"
         "    timeout connect 2s\n"
         "    # Agents keep their connection for a whole run; only one silent for 10 minutes is closed.\n"
         "    timeout client 10m\n"
         "    timeout server 10m\n"
         "    timeout tunnel 10m\n"
         "    timeout check 1s\n"
         "    # A connection that cannot reach its coordinator is tried again, on another one.\n"
         "    retries 2\n"
         "    option redispatch\n"
         "\n"
         "# TLS is not terminated here: agents and coordinators do mutual TLS through the balancer.\n"
         "frontend "
      << kBalancerFrontend << "\n    bind " << plan.bind_address << ":" << plan.port
      << "\n"
      << (plan.log_connections ? "    log global\n    option tcplog\n    option dontlognull\n" : "")
      << "    maxconn "
      << plan.max_connections << "\n    default_backend " << kBalancerBackend
      << "\n"
         "\n"
         "backend "
      << kBalancerBackend
      << "\n"
         "    balance leastconn\n"
         "    # Every connection to a coordinator starts with a PROXY v2 header naming the agent's address.\n"
         "    # Health checks are plain TCP connects: a coordinator speaks only mutual TLS and the balancer holds\n"
         "    # no client certificate, so a TLS or protocol-level check could not pass. A check connects, sends a\n"
         "    # PROXY v2 header with the LOCAL command (check-send-proxy; no client address: the balancer's own\n"
         "    # connection, which a coordinator accepts from a trusted balancer address) and closes.\n"
         "    default-server check inter "
      << plan.check_interval.count() << "ms fall 2 rise 2 send-proxy-v2 check-send-proxy\n";
  for (const auto& s : plan.servers) out << "    server " << s.name << " " << s.address << ":" << s.port << "\n";
  if (plan.stats) {
    out << "\n"
           "# Server states for tests and operators: GET /stats;csv. Loopback only: it has no authentication.\n"
           "listen "
        << kBalancerStats << "\n    bind " << plan.stats->address << ":" << plan.stats->port
        << "\n"
           "    mode http\n"
           "    no log\n"
           "    stats enable\n"
           "    stats uri /stats\n";
  }
  return out.str();
}

}  // namespace lab::runner

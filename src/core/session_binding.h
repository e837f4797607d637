// SessionBinding: what a session was bound to at login — the agent, the
// client address, the client certificate's fingerprint and the client name.
// Never changed once made: a store keeps one for every session with the same
// values, and a request's Caller shares it instead of copying four strings.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace lab {

struct SessionBinding {
  std::string agent_id;
  std::string client_address;   // empty = not recorded
  std::string tls_fingerprint;  // empty = not recorded (no mutual TLS)
  std::string client_name;      // empty = not recorded

  friend bool operator==(const SessionBinding&, const SessionBinding&) = default;
};

// The same four values, borrowed: how a store looks a binding up before it has made one.
struct SessionBindingView {
  std::string_view agent_id;
  std::string_view client_address;
  std::string_view tls_fingerprint;
  std::string_view client_name;

  SessionBindingView() = default;
  SessionBindingView(std::string_view agent, std::string_view address, std::string_view fingerprint,
                     std::string_view client)
      : agent_id(agent), client_address(address), tls_fingerprint(fingerprint), client_name(client) {}
  explicit SessionBindingView(const SessionBinding& b)
      : SessionBindingView(b.agent_id, b.client_address, b.tls_fingerprint, b.client_name) {}

  friend bool operator==(const SessionBindingView&, const SessionBindingView&) = default;
  std::size_t hash() const noexcept {
    const std::hash<std::string_view> h;
    std::size_t v = h(agent_id);
    for (std::string_view part : {client_address, tls_fingerprint, client_name}) {
      v = v * 0x9E3779B97F4A7C15ULL + h(part);  // order matters: (a, b) and (b, a) are different bindings
    }
    return v;
  }
};

}  // namespace lab

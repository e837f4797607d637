// Caller: who the coordinator believes sent a request, as decided by the
// stage's SessionPolicy. How much that belief is worth is the stage's lesson.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "store/event_sink.h"
#include "core/domain.h"

namespace lab::coordinator {

struct Caller {
  std::string agent_id;                   // "anonymous" when nobody is identified
  Role role = Role::kObserver;
  std::optional<std::string> session_id;  // the session the request presented, if any
  bool has_session = false;               // the session id named a known session
  std::string bound_address;              // the address the session was issued to; empty = not recorded
  std::string bound_certificate;          // the client certificate's fingerprint at login; empty = not recorded
  std::string bound_client;               // the client name declared at login; empty = not recorded
};

// The other end of a request, whatever the transport.
struct Peer {
  std::string address;         // e.g. "127.0.0.2"
  std::uint16_t port = 0;
  std::uint64_t connection_id = 0;
  std::string tls_fingerprint;  // SHA-256 of the client certificate, when the front has one
  std::string to_string() const { return address + ":" + std::to_string(port); }
};

// Where a request came from: what binding controls compare, and how the
// front that received it would push events back.
struct RequestOrigin {
  Peer peer;
  std::string client_name;  // what the client declared itself to be, when the front knows
  // Opens the event stream of this request's connection; empty when the front cannot push.
  std::function<std::shared_ptr<store::EventSink>()> event_stream;
};

}  // namespace lab::coordinator

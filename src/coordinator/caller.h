// Caller: who the coordinator believes sent a request, as decided by the
// stage's SessionPolicy. How much that belief is worth is the stage's lesson.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/domain.h"
#include "core/session_binding.h"
#include "security/session_token.h"
#include "store/event_sink.h"

namespace lab::coordinator {

inline const std::string kNothing;  // what a Caller without a binding was bound to

// What a caller's bearer token said about itself (stage 5's access tokens): the controls after authentication
// check its binding to the fingerprint cookie and whether its id was revoked.
struct BearerToken {
  std::string id;           // jti
  std::string fingerprint;  // hex SHA-256 of the fingerprint cookie it was issued with
  std::int64_t expires_s = 0;
};

struct Caller {
  std::string agent_id;                   // "anonymous" when nobody is identified
  Role role = Role::kObserver;
  std::optional<std::string> session_id;  // the session the request presented, if any
  bool has_session = false;               // the session id named a known session
  // The stored hash of the presented session id, for a stage that keeps ids hashed (then session_id is its hex):
  // what the store finds the session by again on this request's path, without decoding text.
  std::optional<security::SessionIdHash> session_hash;
  // What the session was bound to at login, shared with the session store; null = the stage records nothing.
  std::shared_ptr<const SessionBinding> binding;
  // Set when the caller was authenticated by a bearer token (stage 5).
  std::optional<BearerToken> token;

  // The address the session was issued to; empty = not recorded.
  const std::string& bound_address() const { return binding ? binding->client_address : kNothing; }
  // The client certificate's fingerprint at login; empty = not recorded.
  const std::string& bound_certificate() const { return binding ? binding->tls_fingerprint : kNothing; }
  // The client name declared at login; empty = not recorded.
  const std::string& bound_client() const { return binding ? binding->client_name : kNothing; }
};

// The other end of a request, whatever the transport.
struct Peer {
  std::string address;         // e.g. "127.0.0.2"
  std::uint16_t port = 0;
  std::uint64_t connection_id = 0;
  std::string tls_fingerprint;  // SHA-256 of the client certificate, when the front has one
  std::string to_string() const { return address + ":" + std::to_string(port); }
};

// What an HTTPS front read from the request for the web controls (stage 5); raw values, decided on by the guards.
struct WebCredentials {
  std::string method;               // "POST", ...
  bool state_changing = false;      // any method but GET, HEAD and OPTIONS
  std::string origin;               // the Origin header, empty when absent
  std::string access_token;         // from "Authorization: Bearer", else from the access cookie
  bool token_from_cookie = false;   // the browser sent it by itself (ambient), not a script or a client
  std::string fingerprint_cookie;   // the fingerprint cookie's value
  std::string csrf_header;          // X-CSRF-Token
  std::string csrf_cookie;          // the CSRF cookie's value
};

// Where a request came from: what binding controls compare, and how the
// front that received it would push events back.
struct RequestOrigin {
  Peer peer;
  std::string client_name;  // what the client declared itself to be, when the front knows
  // Opens the event stream of this request's connection; empty when the front cannot push.
  std::function<std::shared_ptr<store::EventSink>()> event_stream;
  // Set by an HTTPS front.
  std::shared_ptr<const WebCredentials> web;
};

}  // namespace lab::coordinator

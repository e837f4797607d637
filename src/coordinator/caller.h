// Caller: who the coordinator believes sent a request, as decided by the
// stage's SessionPolicy. How much that belief is worth is the stage's lesson.
#pragma once

#include <optional>
#include <string>

#include "core/domain.h"
#include "net/line_server.h"

namespace lab::coordinator {

struct Caller {
  std::string agent_id;                   // "anonymous" when nobody is identified
  Role role = Role::kObserver;
  std::optional<std::string> session_id;  // the session the request presented, if any
  bool has_session = false;               // the session id named a known session
  std::string bound_address;              // the address the session was issued to; empty = not recorded
};

// Where a request came from and on which connection.
struct RequestOrigin {
  net::PeerInfo peer;
  net::ConnectionContext* connection = nullptr;
};

}  // namespace lab::coordinator

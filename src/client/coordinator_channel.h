// CoordinatorChannel: an agent's signed-in way to a coordinator that does not speak the line protocol (stage 5's
// HTTPS API): the protocol's operations by name, answered like net::ProtocolClient answers them. Whoever links
// that transport makes one (web::WebProtocolClient), so the agents themselves depend on no web library.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/result.h"

namespace lab::client {

class CoordinatorChannel {
 public:
  virtual ~CoordinatorChannel() = default;
  virtual Result<Json> call(std::string_view type, Json payload = Json::object()) = 0;
  // The session as the sign-in named it, for log lines.
  std::optional<std::string> session_id;
};

}  // namespace lab::client

// StateCodec: how a state file turns the state into bytes and back. The
// plaintext codec is stage 1-2's; a stage that seals its state brings a codec
// that encrypts and authenticates.
#pragma once

#include <string>
#include <string_view>

#include "core/domain.h"

namespace lab::store {

class StateCodec {
 public:
  virtual ~StateCodec() = default;
  virtual std::string encode(const Json& state) const = 0;
  // Throws std::runtime_error when the bytes are not a state this codec can vouch for.
  virtual Json decode(std::string_view bytes) const = 0;
};

// Readable JSON, exactly as stored: no secrecy, no integrity check.
class PlaintextJsonCodec final : public StateCodec {
 public:
  std::string encode(const Json& state) const override;
  Json decode(std::string_view bytes) const override;  // throws only when the text is not JSON
};

}  // namespace lab::store

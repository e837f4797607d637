// FrontServer: what a stage listens with — the transport around the transport-neutral Coordinator. Stages 1–4
// speak newline-JSON over TCP or mutual TLS (LineFront on a LineServer); stage 5 speaks HTTPS (web/web_front).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace lab::coordinator {

class FrontServer {
 public:
  virtual ~FrontServer() = default;
  virtual Status start() = 0;
  virtual std::uint16_t port() const = 0;
  // What a client must speak: "tcp", "tls" (newline JSON) or "https".
  virtual std::string_view transport() const = 0;
  virtual void stop() = 0;
};

}  // namespace lab::coordinator

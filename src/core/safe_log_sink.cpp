#include "core/safe_log_sink.h"

#include <spdlog/spdlog.h>

#include "core/printable_text.h"

namespace lab {

void EscapingSink::log(const spdlog::details::log_msg& msg) {
  const std::string safe = printable(std::string_view(msg.payload.data(), msg.payload.size()));
  spdlog::details::log_msg copy = msg;
  copy.payload = spdlog::string_view_t(safe.data(), safe.size());
  inner_->log(copy);
}

void escape_default_logger() {
  auto logger = spdlog::default_logger();
  for (auto& sink : logger->sinks()) {
    if (std::dynamic_pointer_cast<EscapingSink>(sink)) continue;
    sink = std::make_shared<EscapingSink>(sink);
  }
}

}  // namespace lab

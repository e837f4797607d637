// Every log line the lab writes passes through EscapingSink: the message is
// made printable (core/printable_text.h) before any sink formats it, so a
// value a peer sent (an agent id with a newline, a project name with an escape
// sequence) can neither forge a log record nor reach a terminal raw. This
// holds for every call site, present and future, without each one escaping.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/sink.h>

namespace lab {

class EscapingSink final : public spdlog::sinks::sink {
 public:
  explicit EscapingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}

  void log(const spdlog::details::log_msg& msg) override;
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  spdlog::sink_ptr inner_;
};

// Wraps every sink of the default logger in an EscapingSink (idempotent).
void escape_default_logger();

}  // namespace lab

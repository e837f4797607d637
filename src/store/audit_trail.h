// AuditTrail: an event-bus subscriber that writes every event — logins and
// failed logins, refusals (with the control's error code), sessions created
// and ended, role changes, everything that changed the board — to a
// hash-chained audit log (security/audit_chain.h) that `lab audit verify`
// checks. Events name sessions by fingerprint only, so no session id or key
// reaches the file.
#pragma once

#include <memory>
#include <string_view>

#include "security/audit_chain.h"
#include "store/event_sink.h"

namespace lab::store {

class AuditTrail final : public EventSink {
 public:
  explicit AuditTrail(std::unique_ptr<security::AuditLog> log) : log_(std::move(log)) {}

  bool push(std::string_view event_json) override;
  const void* target() const override { return this; }
  const security::AuditLog& log() const { return *log_; }

 private:
  std::unique_ptr<security::AuditLog> log_;
};

}  // namespace lab::store

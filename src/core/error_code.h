// Stable error codes: identical in code, on the wire and in docs/PROTOCOL.md.
#pragma once

#include <optional>
#include <string_view>

namespace lab {

enum class ErrorCode {
  kMalformedJson,         // the line is not valid JSON (or not UTF-8)
  kEmptyMessage,          // the line was empty or only whitespace
  kInvalidRequest,        // valid JSON, but not a request object (e.g. an array)
  kUnknownType,           // "type" names no operation
  kMissingField,          // a required field is absent
  kInvalidField,          // a field has the wrong type or a value outside its domain
  kMessageTooLarge,       // the line exceeds the server's maximum line length
  kNestingTooDeep,        // arrays/objects nested deeper than kMaxJsonDepth
  kLimitExceeded,         // storing this would pass one of the stage's totals (e.g. tasks per project)
  kProjectNotFound,
  kTaskNotFound,
  kAgentNotFound,
  kAgentExists,           // an agent of that id is already enrolled
  kInvalidTransition,     // task status change not allowed by the A2A state machine
  kVersionConflict,       // expected_version did not match the task's version
  kAlreadyClaimed,        // task is no longer in state "submitted"
  kSpecialtyMismatch,     // the worker's specialties do not include the task's
  kAuthRequired,          // no (or an unknown) session was presented
  kAuthFailed,            // credentials or signature did not verify
  kSessionExpired,        // idle longer than the idle timeout
  kSessionLifetimeExceeded,  // older than the absolute lifetime, however busy
  kAddressMismatch,       // a session presented from another address than the one it was issued to
  kCertificateMismatch,   // a session presented over a connection with another client certificate
  kClientMismatch,        // a session presented by another client name than the one it was issued to
  kAccountLocked,         // too many failed logins: the account waits before it is tried again
  kPermissionDenied,
  kSignatureInvalid,
  kTimestampOutOfWindow,
  kReplayDetected,
  kRateLimited,
  kOriginRefused,         // a state-changing web request from an Origin the server does not allow
  kCsrfRejected,          // a state-changing web request without the session's CSRF token in header and cookie
  kTokenBindingMismatch,  // an access token presented without the fingerprint cookie it was issued with
  kTokenRevoked,          // an access token whose id was revoked (sign-out, an admin's revoke)
  kInternalError,
  kConnectionFailed,      // client side only, never sent: the transport failed or timed out
};

// "MALFORMED_JSON", "SESSION_EXPIRED", ...
std::string_view to_string(ErrorCode code);
std::optional<ErrorCode> error_code_from_string(std::string_view name);

}  // namespace lab

#include "core/error_code.h"

#include "core/enum_names.h"

namespace lab {
namespace {

constexpr NameTable<ErrorCode, 36> kErrorCodeNames{{
    {ErrorCode::kMalformedJson, "MALFORMED_JSON"},
    {ErrorCode::kEmptyMessage, "EMPTY_MESSAGE"},
    {ErrorCode::kInvalidRequest, "INVALID_REQUEST"},
    {ErrorCode::kUnknownType, "UNKNOWN_TYPE"},
    {ErrorCode::kMissingField, "MISSING_FIELD"},
    {ErrorCode::kInvalidField, "INVALID_FIELD"},
    {ErrorCode::kMessageTooLarge, "MESSAGE_TOO_LARGE"},
    {ErrorCode::kNestingTooDeep, "NESTING_TOO_DEEP"},
    {ErrorCode::kLimitExceeded, "LIMIT_EXCEEDED"},
    {ErrorCode::kProjectNotFound, "PROJECT_NOT_FOUND"},
    {ErrorCode::kTaskNotFound, "TASK_NOT_FOUND"},
    {ErrorCode::kAgentNotFound, "AGENT_NOT_FOUND"},
    {ErrorCode::kAgentExists, "AGENT_EXISTS"},
    {ErrorCode::kInvalidTransition, "INVALID_TRANSITION"},
    {ErrorCode::kVersionConflict, "VERSION_CONFLICT"},
    {ErrorCode::kAlreadyClaimed, "ALREADY_CLAIMED"},
    {ErrorCode::kSpecialtyMismatch, "SPECIALTY_MISMATCH"},
    {ErrorCode::kAuthRequired, "AUTH_REQUIRED"},
    {ErrorCode::kAuthFailed, "AUTH_FAILED"},
    {ErrorCode::kSessionExpired, "SESSION_EXPIRED"},
    {ErrorCode::kSessionLifetimeExceeded, "SESSION_LIFETIME_EXCEEDED"},
    {ErrorCode::kAddressMismatch, "ADDRESS_MISMATCH"},
    {ErrorCode::kCertificateMismatch, "CERTIFICATE_MISMATCH"},
    {ErrorCode::kClientMismatch, "CLIENT_MISMATCH"},
    {ErrorCode::kAccountLocked, "ACCOUNT_LOCKED"},
    {ErrorCode::kPermissionDenied, "PERMISSION_DENIED"},
    {ErrorCode::kSignatureInvalid, "SIGNATURE_INVALID"},
    {ErrorCode::kTimestampOutOfWindow, "TIMESTAMP_OUT_OF_WINDOW"},
    {ErrorCode::kReplayDetected, "REPLAY_DETECTED"},
    {ErrorCode::kRateLimited, "RATE_LIMITED"},
    {ErrorCode::kOriginRefused, "ORIGIN_REFUSED"},
    {ErrorCode::kCsrfRejected, "CSRF_REJECTED"},
    {ErrorCode::kTokenBindingMismatch, "TOKEN_BINDING_MISMATCH"},
    {ErrorCode::kTokenRevoked, "TOKEN_REVOKED"},
    {ErrorCode::kInternalError, "INTERNAL_ERROR"},
    {ErrorCode::kConnectionFailed, "CONNECTION_FAILED"},
}};

}  // namespace

std::string_view to_string(ErrorCode code) { return name_of(kErrorCodeNames, code, "INTERNAL_ERROR"); }

std::optional<ErrorCode> error_code_from_string(std::string_view name) { return value_of(kErrorCodeNames, name); }

}  // namespace lab

#include "stage2_improved/input_rules.h"

#include <array>
#include <optional>
#include <string>

namespace lab::stage2 {
namespace {

// One limit on one payload field: a string's length, the size of a value as JSON text, or an integer's range.
struct FieldLimit {
  std::string_view field;
  enum class Measure { kTextLength, kJsonSize, kPriority } measure;
  std::size_t max = 0;
};

// VULN V-031: no sanitization or encoding — lengths and a range are all that is checked; a value within its limit is stored verbatim, markup, SQL and CRLF included.
constexpr std::array<FieldLimit, 9> kLimits{{
    {"name", FieldLimit::Measure::kTextLength, kMaxNameBytes},
    {"description", FieldLimit::Measure::kTextLength, kMaxDescriptionBytes},
    {"input", FieldLimit::Measure::kTextLength, kMaxInputBytes},
    {"agent_id", FieldLimit::Measure::kTextLength, 64},
    {"project_id", FieldLimit::Measure::kTextLength, 64},
    {"task_id", FieldLimit::Measure::kTextLength, 64},
    {"metadata", FieldLimit::Measure::kJsonSize, kMaxMetadataBytes},
    {"result", FieldLimit::Measure::kJsonSize, kMaxResultBytes},
    {"priority", FieldLimit::Measure::kPriority, 0},
}};

// The error for `value` under `limit`, or nothing when it is within it. Presence and type are the operation's
// concern: a string limit passes a value that is not a string, the priority range one that is not an integer.
std::optional<Error> breach(const FieldLimit& limit, const Json& value) {
  const auto field = [&limit] { return std::string(limit.field); };
  switch (limit.measure) {
    case FieldLimit::Measure::kTextLength:
      if (value.is_string() && value.get_ref<const std::string&>().size() > limit.max) {
        return Error{ErrorCode::kInvalidField,
                     "payload." + field() + " is longer than " + std::to_string(limit.max) + " bytes"};
      }
      return std::nullopt;
    case FieldLimit::Measure::kJsonSize:
      if (value.dump().size() > limit.max) {
        return Error{ErrorCode::kInvalidField,
                     "payload." + field() + " is larger than " + std::to_string(limit.max) + " bytes"};
      }
      return std::nullopt;
    case FieldLimit::Measure::kPriority:
      if (value.is_number_integer()) {
        const auto p = value.get<std::int64_t>();
        if (p < -kMaxPriority || p > kMaxPriority) {
          return Error{ErrorCode::kInvalidField, "payload.priority must be between -100 and 100"};
        }
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Status check_lengths(std::string_view, const Json& payload) {
  // One pass over the payload's members (a few) rather than a lookup per limit; when several fields break their
  // limits, the one listed first in kLimits is reported.
  std::optional<Error> first;
  std::size_t first_rank = kLimits.size();
  for (const auto& [field, value] : payload.items()) {
    for (std::size_t rank = 0; rank < first_rank; ++rank) {
      if (kLimits[rank].field != field) continue;
      if (auto error = breach(kLimits[rank], value)) {
        first = std::move(error);
        first_rank = rank;
      }
      break;
    }
  }
  if (first) return *first;
  return ok_status();
}

}  // namespace lab::stage2

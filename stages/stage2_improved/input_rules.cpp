#include "stage2_improved/input_rules.h"

#include <string>

namespace lab::stage2 {
namespace {

Status limit(const Json& payload, const char* field, std::size_t max) {
  auto it = payload.find(field);
  if (it == payload.end() || !it->is_string()) return ok_status();  // presence and type are the operation's concern
  if (it->get_ref<const std::string&>().size() > max) {
    return Error{ErrorCode::kInvalidField,
                 "payload." + std::string(field) + " is longer than " + std::to_string(max) + " bytes"};
  }
  return ok_status();
}

}  // namespace

Status check_lengths(std::string_view, const Json& payload) {
  // VULN V-031: no sanitization or encoding — a value within its length limit is stored verbatim, markup, SQL and CRLF included.
  for (const auto& [field, max] : {std::pair{"name", kMaxNameBytes},
                                   std::pair{"description", kMaxDescriptionBytes},
                                   std::pair{"input", kMaxInputBytes},
                                   std::pair{"agent_id", std::size_t{64}},
                                   std::pair{"project_id", std::size_t{64}},
                                   std::pair{"task_id", std::size_t{64}}}) {
    if (auto s = limit(payload, field, max); !s) return s;
  }
  for (const auto& [field, max] : {std::pair{"metadata", kMaxMetadataBytes}, std::pair{"result", kMaxResultBytes}}) {
    if (auto it = payload.find(field); it != payload.end() && it->dump().size() > max) {
      return Error{ErrorCode::kInvalidField,
                   "payload." + std::string(field) + " is larger than " + std::to_string(max) + " bytes"};
    }
  }
  if (auto it = payload.find("priority"); it != payload.end() && it->is_number_integer()) {
    const auto p = it->get<std::int64_t>();
    if (p < -kMaxPriority || p > kMaxPriority) {
      return Error{ErrorCode::kInvalidField, "payload.priority must be between -100 and 100"};
    }
  }
  return ok_status();
}

}  // namespace lab::stage2

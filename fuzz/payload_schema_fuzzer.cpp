// Stage 3's payload schemas (stages/stage3_secure/payload_schemas.h) against
// hostile payloads. The first byte picks an operation of the table, the rest
// is the payload's JSON text, read as the server reads it (parse_json_bounded).
// check_payload must never crash, and
//  - it answers the same for the same payload (the per-thread compiled schemas
//    keep no match state between calls);
//  - a refusal is INVALID_FIELD, MISSING_FIELD or INVALID_REQUEST with a
//    message, never INTERNAL_ERROR (every schema compiles);
//  - an accepted payload is an object, and no string in it outside `result`
//    (any JSON by design), names included, holds a control character: no C0
//    but \t and \n, no DEL, no C1; \r only in a PEM `certificate`.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_json.h"
#include "stage3_secure/payload_schemas.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "payload_schema_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

// A control character the schemas refuse, given where the text was found.
bool refused_character_in(std::string_view text, bool is_certificate) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\t' || c == '\n') continue;
    if (c == '\r' && is_certificate) continue;
    if (c < 0x20 || c == 0x7F) return true;
    // C1 controls, U+0080..U+009F: C2 80..C2 9F in UTF-8.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F &&
        static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      return true;
    }
  }
  return false;
}

void require_clean(const lab::Json& value, std::string_view field) {
  if (value.is_string()) {
    require(!refused_character_in(value.get_ref<const std::string&>(), field == "certificate"),
            "an accepted payload holds a control character");
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      require(!refused_character_in(key, false), "an accepted payload has a field name with a control character");
      if (key != "result") require_clean(member, key);
    }
  } else if (value.is_array()) {
    for (const auto& element : value) require_clean(element, field);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string_view> operations = lab::stage3::operations_with_schemas();
  if (size == 0 || operations.empty()) return 0;
  const std::string_view operation = operations[data[0] % operations.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const lab::BoundedJson parsed = lab::parse_json_bounded(text);
  if (parsed.status != lab::JsonParseStatus::kOk) return 0;

  const lab::Status first = lab::stage3::check_payload(operation, parsed.value);
  const lab::Status again = lab::stage3::check_payload(operation, parsed.value);
  require(first.ok() == again.ok(), "the same payload got two answers");
  if (!first.ok()) {
    const lab::ErrorCode code = first.error().code;
    require(code == lab::ErrorCode::kInvalidField || code == lab::ErrorCode::kMissingField ||
                code == lab::ErrorCode::kInvalidRequest,
            "a refusal with an unexpected code (a schema that does not compile?)");
    require(!first.error().message.empty(), "a refusal without a message");
    require(first.error().message == again.error().message, "the same payload got two refusals");
    return 0;
  }
  require(parsed.value.is_object(), "a payload that is not an object was accepted");
  require_clean(parsed.value, "");
  return 0;
}

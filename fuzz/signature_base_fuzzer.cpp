// Stage 3's signature base (src/security/signature_base.h) and the auth block
// it is rebuilt from (src/security/signed_request.h), on hostile components:
// operation, request id, session id, payload, and the auth parameters either
// as fuzzed strings or read from a fuzzed JSON auth block. Never a crash, and
// a base that is built
//  - holds exactly the 5 '\n' that separate its 6 lines and no other control
//    character (so no component can forge a line of its own);
//  - gives every component back unchanged on its own line, in order;
//  - is built the same way twice.
// A refusal is always INVALID_FIELD; an auth block that reads has a signature
// of at most 80 bytes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_json.h"
#include "core/envelope.h"
#include "security/signature_base.h"
#include "security/signed_request.h"

namespace {

using lab::Json;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "signature_base_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A request id of any JSON type: the base accepts null, strings and integers.
Json fuzzed_request_id(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
      return nullptr;
    case 1:
      return in.ConsumeIntegral<std::int64_t>();
    case 2:
      return in.ConsumeIntegral<std::uint64_t>();
    case 3:
      return in.ConsumeFloatingPoint<double>();
    case 4:
      return Json::array({in.ConsumeRandomLengthString(16)});
    default:
      return in.ConsumeRandomLengthString(300);  // any bytes, invalid UTF-8 and control characters included
  }
}

// A payload parsed from fuzzed JSON, or an object holding raw bytes (which need not be UTF-8).
Json fuzzed_payload(FuzzedDataProvider& in) {
  const std::string text = in.ConsumeRandomLengthString(512);
  auto parsed = lab::parse_json_bounded(text);
  if (parsed.status == lab::JsonParseStatus::kOk) return std::move(parsed.value);
  return Json{{"raw", text}};
}

void check_base(const lab::Result<std::string>& base, std::string_view operation, const Json& request_id,
                std::string_view session_id, const Json& payload, const lab::security::SignatureParams& params) {
  if (!base.ok()) {
    require(base.error().code == lab::ErrorCode::kInvalidField, "a refused base is not INVALID_FIELD");
    return;
  }
  const std::string& text = *base;
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u == '\n') {
      lines.push_back(std::string_view(text).substr(start, i - start));
      start = i + 1;
    } else {
      require(u >= 0x20 && u != 0x7F, "the base holds a control character other than its line breaks");
    }
  }
  lines.push_back(std::string_view(text).substr(start));
  require(lines.size() == 6, "the base does not have exactly 5 line breaks");

  const std::string id_text = request_id.dump(-1, ' ', false, Json::error_handler_t::replace);
  require(lines[0] == "\"@operation\": " + std::string(operation), "line 1 is not the operation");
  require(lines[1] == "\"@request-id\": " + id_text, "line 2 is not the request id");
  require(lines[2] == "\"@session-id\": " + std::string(session_id), "line 3 is not the session id");
  require(lines[3] == "\"content-digest\": " + lab::security::content_digest(payload), "line 4 is not the digest");
  require(lines[4] == "\"@client\": " + params.client, "line 5 is not the client");
  require(starts_with(lines[5], "\"@signature-params\": ("), "line 6 is not the parameters");
  require(!params.nonce.empty() && params.nonce.find('"') == std::string::npos, "a nonce with a quote was accepted");
  require(!params.key_id.empty() && params.key_id.find('"') == std::string::npos, "a key id with a quote was accepted");
  require(lines[5].find(";nonce=\"" + params.nonce + "\";keyid=\"" + params.key_id + "\"") != std::string_view::npos,
          "line 6 does not carry the nonce and key id");

  auto again = lab::security::signature_base(operation, request_id, session_id, payload, params);
  require(again.ok() && *again == text, "the same components give a different base");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const bool from_auth_block = in.ConsumeBool();

  lab::Request request;
  request.type = in.ConsumeRandomLengthString(300);
  request.request_id = fuzzed_request_id(in);
  if (in.ConsumeBool()) request.session_id = in.ConsumeRandomLengthString(300);
  request.payload = fuzzed_payload(in);

  lab::security::SignatureParams params;
  if (from_auth_block) {
    // The auth block as a peer sends it: JSON of any shape.
    const auto auth = lab::parse_json_bounded(in.ConsumeRemainingBytesAsString());
    if (auth.status != lab::JsonParseStatus::kOk) return 0;
    auto block = lab::security::read_auth_block(lab::AuthFields::from_json(auth.value));
    if (!block.ok()) {
      require(block.error().code == lab::ErrorCode::kInvalidField || block.error().code == lab::ErrorCode::kAuthRequired,
              "a refused auth block is neither INVALID_FIELD nor AUTH_REQUIRED");
      require(block.error().code != lab::ErrorCode::kAuthRequired || auth.value.is_null(),
              "AUTH_REQUIRED for an auth block that is there");
      return 0;
    }
    require(block->signature.size() <= 80, "a signature of more than 80 bytes was read");
    params = block->params;
    check_base(lab::security::signature_base_of(request, *block), request.type, request.request_id,
               request.session_id.value_or(""), request.payload, params);
  } else {
    params.created = in.ConsumeIntegral<std::int64_t>();
    params.nonce = in.ConsumeRandomLengthString(300);
    params.key_id = in.ConsumeRandomLengthString(300);
    params.client = in.ConsumeRemainingBytesAsString();
    check_base(lab::security::signature_base(request.type, request.request_id, request.session_id.value_or(""),
                                             request.payload, params),
               request.type, request.request_id, request.session_id.value_or(""), request.payload, params);
  }
  return 0;
}

// parse_request (src/core/envelope.h, src/core/request_reader.cpp) on a
// hostile line: it must never crash, and
//  - a request it accepts has a string type, an object payload, a request id
//    that is null, a string or an integer, and a payload that dumps as JSON
//    without throwing (valid UTF-8 all the way down);
//  - reading the same bytes again gives the same request (no hidden state);
//  - the response the server would send — ok_response around the payload, or
//    error_response for a refused line — is exactly one line of JSON that
//    parse_json_bounded reads back.
//  - an accepted request is the one parse_json_bounded (nlohmann) reads from
//    the same line — same type, session id, request id, payload and auth
//    (its members as AuthFields keeps them),
//    every number finite (LAB_FUZZ_STRICT=0 in the environment turns this off).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_json.h"
#include "core/envelope.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "envelope_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

bool strict() {
  static const bool on = [] {
    const char* v = std::getenv("LAB_FUZZ_STRICT");
    return v == nullptr || std::string_view(v) != "0";
  }();
  return on;
}

bool all_finite(const lab::Json& root) {
  std::vector<const lab::Json*> todo{&root};
  while (!todo.empty()) {
    const lab::Json* v = todo.back();
    todo.pop_back();
    if (v->is_number_float() && !std::isfinite(v->get<double>())) return false;
    if (v->is_structured()) {
      for (const auto& child : *v) todo.push_back(&child);
    }
  }
  return true;
}

// The request as nlohmann reads the same line: what a client, the auditor or a state file would see.
void require_same_as_nlohmann(std::string_view line, const lab::Request& req) {
  require(all_finite(req.payload) && all_finite(req.request_id),
          "strict: an accepted request holds a number that is not finite");
  const auto doc = lab::parse_json_bounded(line);
  require(doc.status == lab::JsonParseStatus::kOk && doc.value.is_object(), "strict: nlohmann does not read the line");
  const lab::Json& v = doc.value;
  const auto member = [&v](const char* name) { return v.contains(name) ? v.at(name) : lab::Json(); };
  require(member("type") == req.type, "strict: nlohmann reads another type");
  require(member("request_id") == req.request_id, "strict: nlohmann reads another request id");
  require(member("session_id") == (req.session_id ? lab::Json(*req.session_id) : lab::Json()),
          "strict: nlohmann reads another session id");
  require(member("payload") == req.payload || (member("payload").is_null() && req.payload == lab::Json::object()),
          "strict: nlohmann reads another payload");
  require(lab::AuthFields::from_json(member("auth")) == req.auth, "strict: nlohmann reads another auth block");
}

bool usable_id(const lab::Json& id) { return id.is_null() || id.is_string() || id.is_number_integer(); }

// One '\n', at the end, and JSON before it.
void require_one_json_line(const std::string& line, const char* what) {
  require(!line.empty() && line.back() == '\n' && line.find('\n') == line.size() - 1, what);
  const auto reread = lab::parse_json_bounded(std::string_view(line).substr(0, line.size() - 1));
  require(reread.status == lab::JsonParseStatus::kOk, what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  lab::Json id = "left over";
  auto parsed = lab::parse_request(line, id);
  require(usable_id(id), "the request id handed back is not null, a string or an integer");

  if (!parsed.ok()) {
    require_one_json_line(lab::error_response(id, parsed.error()), "error_response is not one line of JSON");
    lab::Json again_id;
    auto again = lab::parse_request(line, again_id);
    require(!again.ok() && again.error().code == parsed.error().code && again_id == id,
            "a refused line is refused differently the second time");
    return 0;
  }

  const lab::Request& req = *parsed;
  require(req.payload.is_object(), "the payload is not an object");
  require(usable_id(req.request_id) && req.request_id == id, "the request id differs from the one handed back");
  try {
    (void)req.payload.dump();
    (void)req.request_id.dump();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "envelope_fuzzer: dumping an accepted request threw: %s\n", e.what());
    std::abort();
  }
  require_one_json_line(lab::ok_response(req.request_id, lab::Reply(req.payload)),
                        "ok_response is not one line of JSON");

  lab::Json again_id;
  auto again = lab::parse_request(line, again_id);
  require(again.ok(), "an accepted line is refused the second time");
  require(again->type == req.type && again->session_id == req.session_id, "type or session id differ on a reread");
  // Compared as text: a NaN in the payload (an open bug) is never == itself.
  require(again->request_id.dump() == req.request_id.dump() && again->payload.dump() == req.payload.dump() &&
              again->auth == req.auth,
          "request id, payload or auth differ on a reread");
  if (strict()) require_same_as_nlohmann(line, req);
  return 0;
}

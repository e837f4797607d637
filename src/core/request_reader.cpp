// parse_request: one request line read in a single pass of RapidJSON's SAX
// reader, in place on a copy of the line, straight into a Request. No document tree is built for the
// envelope; only `payload` becomes an nlohmann value, because handlers read it
// as one, and `auth` is read into flat AuthFields. The reader is iterative (no recursion
// per nesting level) and validates UTF-8 (a line of ASCII bytes needs no
// decoding, so only other lines are read with validation); a value nested deeper than
// kMaxJsonDepth is never built, though the rest of the line is still checked
// so a too-deep request can be told apart from a malformed one.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include "core/auth_fields.h"
#include "core/bounded_json.h"
#include "core/byte_words.h"
#include "core/envelope.h"
#include "core/scratch_buffer.h"

namespace lab {
namespace {

// The members of the envelope the server reads; anything else is ignored.
enum class Member { kOther, kRequestId, kType, kSessionId, kPayload, kAuth };

Member member_named(std::string_view key) {
  if (key == "request_id") return Member::kRequestId;
  if (key == "type") return Member::kType;
  if (key == "session_id") return Member::kSessionId;
  if (key == "payload") return Member::kPayload;
  if (key == "auth") return Member::kAuth;
  return Member::kOther;
}

// "\uDC00".."\uDFFF" on their own decode to the three bytes ED B0..BF xx,
// which RapidJSON lets through; they are not text (a JSON parser that follows
// RFC 8259 and nlohmann's both refuse them), so neither do we. Only a line
// with a byte outside ASCII or an escape can hold one.
bool has_lone_surrogate(std::string_view s) {
  for (auto i = s.find('\xED'); i != std::string_view::npos && i + 1 < s.size(); i = s.find('\xED', i + 1)) {
    if (static_cast<unsigned char>(s[i + 1]) >= 0xA0) return true;
  }
  return false;
}

// What one pass over a line's bytes, eight at a time, tells the reader before it starts.
struct LineBytes {
  // Every byte is below 0x80: the line is valid UTF-8 whatever it says, so the reader need not decode it character
  // by character (most requests).
  bool ascii = true;
  // A byte below 0x20 other than tab, line feed and carriage return (a NUL among them, which the reader would take
  // for the end of the input). Such a byte is never JSON text (those three may stand between tokens; no control
  // byte may stand unescaped in a string), so the line is refused before it is read. This also keeps every such byte
  // from RapidJSON's SSE2 string scan, which this file is built with (src/CMakeLists.txt): in Debian's 1.1.0 the
  // scan misses 0x1A-0x1F.
  bool bare_control = false;
};

LineBytes scan_bytes(std::string_view s) {
  using byte_words::kWordBytes;
  const auto bare = [](unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; };
  std::uint64_t seen = 0;
  bool bare_control = false;
  std::size_t i = 0;
  for (; i + kWordBytes <= s.size(); i += kWordBytes) {
    const std::uint64_t word = byte_words::load(s.data() + i);
    seen |= word;
    if (!byte_words::has_byte_below(word, 0x20)) continue;  // no control byte among these eight
    for (std::size_t j = i; j < i + kWordBytes; ++j) bare_control |= bare(static_cast<unsigned char>(s[j]));
  }
  for (; i < s.size(); ++i) {
    seen |= static_cast<unsigned char>(s[i]);
    bare_control |= bare(static_cast<unsigned char>(s[i]));
  }
  return LineBytes{!byte_words::has_high_byte(seen), bare_control};
}

// The bytes RapidJSON's SSE2 scans may read past a string's terminating NUL: up to the end of its 16-byte block.
constexpr std::size_t kSimdSlack = 16;

class EnvelopeHandler {
 public:
  // `may_hold_surrogates`: the line has a byte outside ASCII or a backslash, so its strings are checked for lone
  // surrogates; any other line cannot hold one.
  explicit EnvelopeHandler(bool may_hold_surrogates) : may_hold_surrogates_(may_hold_surrogates) {}

  bool Null() { return value(Json(nullptr)); }
  bool Bool(bool b) { return value(Json(b)); }
  bool Int(int i) { return value(Json(static_cast<std::int64_t>(i))); }
  bool Uint(unsigned u) { return value(Json(static_cast<std::uint64_t>(u))); }
  bool Int64(std::int64_t i) { return value(Json(i)); }
  bool Uint64(std::uint64_t u) { return value(Json(u)); }
  bool Double(double d) { return value(Json(d)); }
  // Numbers arrive as their text (the reader checked the syntax) and are converted by the standard library:
  // RapidJSON 1.1.0's own conversion reads "0e100" as garbage (a zero significand reaches a count of leading
  // zeros of 0), which fuzz/envelope_fuzzer found. Integers keep nlohmann's types: negative ones signed,
  // others unsigned, either one out of range a double; a double out of range is not a number here.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const char* end = s + n;
    const bool integral = std::none_of(s, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; });
    if (integral && *s == '-') {
      std::int64_t v = 0;
      if (auto r = std::from_chars(s, end, v); r.ec == std::errc() && r.ptr == end) return value(Json(v));
    } else if (integral) {
      std::uint64_t v = 0;
      if (auto r = std::from_chars(s, end, v); r.ec == std::errc() && r.ptr == end) return value(Json(v));
    }
    double d = 0;
    const auto r = std::from_chars(s, end, d);
    if (r.ec == std::errc::result_out_of_range && r.ptr == end) {
      // Too small for a double reads as zero, as in any JSON parser; too large is refused.
      const char* e = std::find_if(s, end, [](char c) { return c == 'e' || c == 'E'; });
      const bool tiny = e != end && e + 1 != end && e[1] == '-';
      return tiny && value(Json(*s == '-' ? -0.0 : 0.0));
    }
    if (r.ec != std::errc() || r.ptr != end || !std::isfinite(d)) return false;
    return value(Json(d));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view text(s, n);
    if (may_hold_surrogates_ && has_lone_surrogate(text)) return false;
    if (in_auth_object()) {
      auth.set_text(key_, text);
      return true;
    }
    if (depth_ == 1 && current_ == Member::kType) {  // the common case, kept out of a Json
      type_.emplace(text);
      type_is_string_ = true;
      return true;
    }
    if (depth_ == 1 && current_ == Member::kSessionId) {
      session_id_.emplace(text);
      session_id_kind_ = Kind::kString;
      return true;
    }
    return value(Json(text));
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view key(s, n);
    if (may_hold_surrogates_ && has_lone_surrogate(key)) return false;
    if (depth_ == 1) {
      current_ = member_named(key);
      reset(current_);
    } else if (building() || in_auth_object()) {
      key_.assign(key);
    }
    return true;
  }
  bool StartObject() { return open(Json::object()); }
  bool StartArray() { return open(Json::array()); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  bool top_is_object() const { return top_is_object_; }
  bool too_deep() const { return too_deep_; }

  Json request_id;  // null when absent
  bool request_id_present = false;
  Json payload;     // null when absent
  AuthFields auth;  // absent when absent

  enum class Kind { kAbsent, kNull, kString, kOther };
  const std::optional<std::string>& type() const { return type_; }
  bool type_present() const { return type_present_; }
  bool type_is_string() const { return type_is_string_; }
  Kind session_id_kind() const { return session_id_kind_; }
  std::optional<std::string>& session_id() { return session_id_; }

 private:
  // A value of the current top-level member, or one inside a container being built.
  bool value(Json v) {
    if (depth_ == 0) return true;  // a scalar document: not an object, judged after the parse
    if (depth_ == 1) return top_level_value(std::move(v));
    if (in_auth_object()) {
      auth.set_value(key_, v);  // not a string: those were kept without making a Json
      return true;
    }
    if (building()) place(std::move(v));
    return true;
  }

  bool top_level_value(Json v) {
    switch (current_) {
      case Member::kRequestId:
        request_id = std::move(v);
        break;
      case Member::kType:
        type_is_string_ = false;
        break;
      case Member::kSessionId:
        session_id_kind_ = v.is_null() ? Kind::kNull : Kind::kOther;
        break;
      case Member::kPayload:
        payload = std::move(v);
        break;
      case Member::kAuth:
        auth.set_shape(v.is_null() ? AuthFields::Shape::kAbsent : AuthFields::Shape::kOther);
        break;
      case Member::kOther:
        break;
    }
    return true;
  }

  void reset(Member m) {
    switch (m) {
      case Member::kRequestId:
        request_id = nullptr;
        request_id_present = true;
        break;
      case Member::kType:
        type_.reset();
        type_present_ = true;
        type_is_string_ = false;
        break;
      case Member::kSessionId:
        session_id_.reset();
        session_id_kind_ = Kind::kOther;
        break;
      case Member::kPayload:
        payload = nullptr;
        break;
      case Member::kAuth:
        auth.set_shape(AuthFields::Shape::kAbsent);
        break;
      case Member::kOther:
        break;
    }
  }

  bool open(Json container) {
    if (in_auth_object()) auth.set_other(key_);  // a container inside auth: kept by name, never built
    ++depth_;
    if (depth_ == 1) {
      top_is_object_ = container.is_object();
      return true;
    }
    if (depth_ > kMaxJsonDepth) too_deep_ = true;  // nothing at this depth or below is ever built
    if (depth_ == 2) {
      // A container as the value of a top-level member: only the payload is kept as a tree, auth as its members.
      if (current_ == Member::kType) type_is_string_ = false;
      if (current_ == Member::kSessionId) session_id_kind_ = Kind::kOther;
      if (current_ == Member::kRequestId) request_id = Json::object();  // any container is the wrong type
      if (current_ == Member::kAuth) {
        auth.set_shape(container.is_object() ? AuthFields::Shape::kObject : AuthFields::Shape::kOther);
      }
      if (current_ == Member::kPayload) {
        payload = std::move(container);
        open_.push_back(&payload);
      }
      return true;
    }
    if (building()) open_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    if (building() && depth_ >= 2) open_.pop_back();
    --depth_;
    return true;
  }

  // Inside the payload, and not yet too deep to keep building.
  bool building() const { return !too_deep_ && !open_.empty(); }

  // Directly inside the auth object: its members are read into AuthFields.
  bool in_auth_object() const { return depth_ == 2 && current_ == Member::kAuth && auth.is_object(); }

  Json* place(Json v) {
    Json& parent = *open_.back();
    if (parent.is_object()) {
      Json& slot = parent[key_];  // a repeated key keeps the last value, as a JSON object read into a map does
      slot = std::move(v);
      return &slot;
    }
    parent.push_back(std::move(v));
    return &parent.back();
  }

  bool may_hold_surrogates_;
  int depth_ = 0;
  bool top_is_object_ = false;
  bool too_deep_ = false;
  Member current_ = Member::kOther;
  std::string key_;
  std::vector<Json*> open_;  // the containers being built, innermost last (their parents never grow meanwhile)
  std::optional<std::string> type_;
  bool type_present_ = false;
  bool type_is_string_ = false;
  std::optional<std::string> session_id_;
  Kind session_id_kind_ = Kind::kAbsent;
};

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool usable_request_id(const Json& id) { return id.is_string() || id.is_number_integer() || id.is_null(); }

}  // namespace

Result<Request> parse_request(std::string_view line, Json& request_id) {
  request_id = nullptr;
  if (is_blank(line)) return Error{ErrorCode::kEmptyMessage, "empty line: send one JSON object per line"};
  const LineBytes bytes = scan_bytes(line);
  const bool ascii = bytes.ascii;
  EnvelopeHandler doc(!ascii || line.find('\\') != std::string_view::npos);
  // Read in place, from this thread's copy of the line: a string is decoded where it lies instead of being pushed
  // onto the reader's stack a character at a time, which halves the time a line takes. The copy ends in the NUL
  // the in-place stream stops at (a line holding one was refused above); every value the handler keeps is copied
  // out of it, so nothing refers to it after the parse. A copy grown by a long line is let go of.
  thread_local std::string text;
  if (text.capacity() < line.size() + kSimdSlack) text.reserve(line.size() + kSimdSlack);
  text.assign(line);
  struct Release {
    ~Release() { release_scratch_if_grown(text); }
  } release;
  rapidjson::InsituStringStream in(text.data());
  rapidjson::Reader reader;
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseInsituFlag;
  const auto parse = [&] {
    if (ascii) return !reader.Parse<kFlags>(in, doc).IsError();
    return !reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(in, doc).IsError();
  };
  if (bytes.bare_control || !parse()) {
    return Error{ErrorCode::kMalformedJson, "the line is not valid JSON (UTF-8 text, one object per line)"};
  }
  if (doc.too_deep()) {
    if (doc.request_id.is_string() || doc.request_id.is_number_integer()) request_id = doc.request_id;
    return Error{ErrorCode::kNestingTooDeep, "arrays and objects may nest at most " + std::to_string(kMaxJsonDepth) +
                                                 " levels deep"};
  }
  if (!doc.top_is_object()) return Error{ErrorCode::kInvalidRequest, "a request must be a JSON object"};

  if (doc.request_id_present) {
    if (!usable_request_id(doc.request_id)) {
      return Error{ErrorCode::kInvalidField, "request_id must be a string or an integer"};
    }
    request_id = doc.request_id;
  }

  Request req;
  req.request_id = request_id;
  if (!doc.type_present()) return Error{ErrorCode::kMissingField, "type is required"};
  if (!doc.type_is_string()) return Error{ErrorCode::kInvalidField, "type must be a string"};
  req.type = std::move(*doc.type());

  switch (doc.session_id_kind()) {
    case EnvelopeHandler::Kind::kString:
      req.session_id = std::move(doc.session_id());
      break;
    case EnvelopeHandler::Kind::kOther:
      return Error{ErrorCode::kInvalidField, "session_id must be a string"};
    case EnvelopeHandler::Kind::kAbsent:
    case EnvelopeHandler::Kind::kNull:
      break;
  }
  if (!doc.payload.is_null()) {
    if (!doc.payload.is_object()) return Error{ErrorCode::kInvalidField, "payload must be an object"};
    req.payload = std::move(doc.payload);
  }
  req.auth = std::move(doc.auth);
  return req;
}

}  // namespace lab

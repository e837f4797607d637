#include "core/json_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/byte_words.h"
#include "core/scratch_buffer.h"

namespace lab {

namespace detail {

// RapidJSON's Writer, plus values whose text is known to need no change (a string with nothing to escape, an object
// written earlier) copied into the buffer in one piece: the Writer itself copies those character by character.
class CopyingWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using Writer::Writer;

  void copied(std::string_view text, rapidjson::Type type) {
    Prefix(type);
    std::memcpy(os_->Push(text.size()), text.data(), text.size());
    EndValue(true);
  }
  // `text` holds no quote, backslash or control character.
  void plain_string(std::string_view text) {
    Prefix(rapidjson::kStringType);
    char* out = os_->Push(text.size() + 2);
    out[0] = '"';
    std::memcpy(out + 1, text.data(), text.size());
    out[text.size() + 1] = '"';
    EndValue(true);
  }
};

}  // namespace detail

namespace {

// Nothing in `text` is escaped in JSON: no quote, backslash or byte below 0x20. Eight bytes at a time, since every
// key and string of every reply, and the signed text of every stage 2 request, passes through here.
bool is_plain(std::string_view text) {
  using namespace byte_words;
  std::size_t i = 0;
  for (; i + kWordBytes <= text.size(); i += kWordBytes) {
    const std::uint64_t word = load(text.data() + i);
    if (has_byte_below(word, 0x20) || has_byte(word, '"') || has_byte(word, '\\')) return false;
  }
  return std::none_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(),
                      [](char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

struct JsonTextWriter::Impl {
  Impl() : buffer(nullptr, 1024), writer(buffer) {}
  rapidjson::StringBuffer buffer;  // grows by doubling from 1 KiB; the writer fills it without a check per character
  detail::CopyingWriter writer;
};

namespace {
// Each thread keeps the buffer and level stack of its last finished writer, so
// a reply is written into memory that is already there; a writer started while
// another is open on the same thread simply gets its own.
thread_local std::unique_ptr<JsonTextWriter::Impl> spare_impl;
}  // namespace

JsonTextWriter::JsonTextWriter() : impl_(spare_impl ? std::move(spare_impl) : std::make_unique<Impl>()) {}

JsonTextWriter::~JsonTextWriter() {
  if (!impl_ || spare_impl || scratch_too_large_to_keep(impl_->buffer.GetSize())) return;  // a huge buffer is let go
  impl_->buffer.Clear();
  impl_->writer.Reset(impl_->buffer);
  spare_impl = std::move(impl_);
}

std::string_view JsonTextWriter::text() const { return {impl_->buffer.GetString(), impl_->buffer.GetSize()}; }

void JsonTextWriter::begin_object() { impl_->writer.StartObject(); }
void JsonTextWriter::end_object() { impl_->writer.EndObject(); }
void JsonTextWriter::begin_array() { impl_->writer.StartArray(); }
void JsonTextWriter::end_array() { impl_->writer.EndArray(); }
void JsonTextWriter::key(std::string_view name) {
  if (is_plain(name)) return impl_->writer.plain_string(name);
  impl_->writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}
void JsonTextWriter::string(std::string_view value) {
  if (is_plain(value)) return impl_->writer.plain_string(value);
  const bool has_control =
      std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (has_control) {
    // RapidJSON escapes these as \u000B, nlohmann's dump as \u000b: written the tree's way, so a streamed
    // reply is byte for byte the one a dump would give.
    const std::string text = Json(value).dump(-1, ' ', false, Json::error_handler_t::replace);
    impl_->writer.copied(text, rapidjson::kStringType);
    return;
  }
  impl_->writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void JsonTextWriter::integer(std::int64_t value) { impl_->writer.Int64(value); }
void JsonTextWriter::unsigned_integer(std::uint64_t value) { impl_->writer.Uint64(value); }
void JsonTextWriter::null() { impl_->writer.Null(); }

void JsonTextWriter::json(const Json& value) {
  // The common stored values (no result yet, no metadata) are written as they are, with no text made first.
  if (value.is_null()) return null();
  if (value.is_string()) return string(value.get_ref<const std::string&>());
  if (value.is_object() && value.empty()) {
    begin_object();
    return end_object();
  }
  const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  const auto type = value.is_object() ? rapidjson::kObjectType
                    : value.is_array() ? rapidjson::kArrayType
                    : value.is_string() ? rapidjson::kStringType
                    : value.is_null()   ? rapidjson::kNullType
                    : value.is_boolean() ? (value.get<bool>() ? rapidjson::kTrueType : rapidjson::kFalseType)
                                        : rapidjson::kNumberType;
  impl_->writer.copied(text, type);
}

void JsonTextWriter::object_text(std::string_view text) { impl_->writer.copied(text, rapidjson::kObjectType); }

void append_json_string(std::string& out, std::string_view value) {
  if (!is_plain(value)) {
    out += Json(value).dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  out.reserve(out.size() + value.size() + 2);
  out += '"';
  out += value;
  out += '"';
}

void append_json(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return append_json_string(out, value.get_ref<const std::string&>());
    case Json::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      return;
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::object: {
      // Members in the tree's (sorted) order, as dump() writes them; a request's payload, signed on every request.
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.items()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        append_json(out, member);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        append_json(out, element);
      }
      out += ']';
      return;
    }
    default:  // booleans, floating-point numbers, binary: dump()'s own formatting
      out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

void write_json(JsonTextWriter& w, const Project& p) {
  w.begin_object();
  w.key("created_at");
  w.integer(p.created_at);
  w.key("description");
  w.string(p.description);
  w.key("id");
  w.string(p.id);
  w.key("metadata");
  w.json(p.metadata);
  w.key("name");
  w.string(p.name);
  w.key("owner");
  w.string(p.owner);
  w.end_object();
}

void write_json(JsonTextWriter& w, const Task& t) {
  w.begin_object();
  w.key("assignee");
  w.string(t.assignee);
  w.key("description");
  w.string(t.description);
  w.key("id");
  w.string(t.id);
  w.key("input");
  w.string(t.input);
  w.key("priority");
  w.integer(t.priority);
  w.key("project_id");
  w.string(t.project_id);
  w.key("result");
  w.json(t.result);
  w.key("specialty");
  w.string(to_string(t.specialty));
  w.key("status");
  w.string(to_string(t.status));
  w.key("version");
  w.unsigned_integer(t.version);
  w.end_object();
}

}  // namespace lab

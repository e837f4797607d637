#include "core/json_text.h"

#include <rapidjson/writer.h>

namespace lab {
namespace {

// RapidJSON's output-stream concept over a std::string.
class StringOutput {
 public:
  using Ch = char;
  explicit StringOutput(std::string& out) : out_(out) {}
  void Put(Ch c) { out_.push_back(c); }
  void Flush() {}

 private:
  std::string& out_;
};

}  // namespace

struct JsonTextWriter::Impl {
  explicit Impl(std::string& out) : stream(out), writer(stream) {}
  StringOutput stream;
  rapidjson::Writer<StringOutput> writer;
};

JsonTextWriter::JsonTextWriter(std::string& out) : impl_(std::make_unique<Impl>(out)) {}
JsonTextWriter::~JsonTextWriter() = default;

void JsonTextWriter::begin_object() { impl_->writer.StartObject(); }
void JsonTextWriter::end_object() { impl_->writer.EndObject(); }
void JsonTextWriter::begin_array() { impl_->writer.StartArray(); }
void JsonTextWriter::end_array() { impl_->writer.EndArray(); }
void JsonTextWriter::key(std::string_view name) {
  impl_->writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}
void JsonTextWriter::string(std::string_view value) {
  impl_->writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void JsonTextWriter::integer(std::int64_t value) { impl_->writer.Int64(value); }
void JsonTextWriter::unsigned_integer(std::uint64_t value) { impl_->writer.Uint64(value); }
void JsonTextWriter::null() { impl_->writer.Null(); }

void JsonTextWriter::json(const Json& value) {
  const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  const auto type = value.is_object() ? rapidjson::kObjectType
                    : value.is_array() ? rapidjson::kArrayType
                    : value.is_string() ? rapidjson::kStringType
                    : value.is_null()   ? rapidjson::kNullType
                    : value.is_boolean() ? (value.get<bool>() ? rapidjson::kTrueType : rapidjson::kFalseType)
                                        : rapidjson::kNumberType;
  impl_->writer.RawValue(text.data(), text.size(), type);
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

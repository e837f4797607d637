#include "stage3_secure/payload_schemas.h"

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <rapidjson/schema.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/printable_text.h"
#include "stage2_improved/input_rules.h"

namespace lab::stage3 {
namespace {

// The field types every operation's schema refers to ("$ref": "#/definitions/...").
// Patterns are RapidJSON's regular expressions (a Thompson NFA: linear time, no
// backtracking); maxLength counts characters (code points). A pattern cannot
// name U+0000 (the engine reads it as the end of the text), so the scan below
// shows every NUL to the validator as U+0001, which each text pattern refuses.
// "x-pattern-error" is this lab's annotation: the message for a pattern miss.
constexpr std::string_view kDefinitions = R"json({
  "id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_.:-]+$",
         "x-pattern-error": "may contain only letters, digits and _ . : -"},
  "assignee": {"type": "string", "maxLength": 64, "pattern": "^[A-Za-z0-9_.:-]*$",
               "x-pattern-error": "may contain only letters, digits and _ . : -"},
  "name": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^\u0001-\u001F\u007F-\u009F]*$"},
  "description": {"type": "string", "maxLength": 10000, "pattern": "^[^\u0001-\u0008\u000B-\u001F\u007F-\u009F]*$"},
  "input": {"type": "string", "maxLength": 100000, "pattern": "^[^\u0001-\u0008\u000B-\u001F\u007F-\u009F]*$"},
  "password": {"type": "string", "minLength": 1, "maxLength": 1024, "pattern": "^[^\u0001-\u001F\u007F-\u009F]*$"},
  "certificate": {"type": "string", "minLength": 1, "maxLength": 8192, "pattern": "^[ -~\r\n]*$",
                  "x-pattern-error": "must be PEM text (printable ASCII and line breaks)"},
  "role": {"type": "string", "enum": ["admin", "coordinator", "worker", "observer"]},
  "specialty": {"type": "string", "enum": ["data_analysis", "code_review", "testing", "documentation"]},
  "status": {"type": "string",
             "enum": ["submitted", "working", "input-required", "completed", "failed", "canceled", "rejected"]},
  "priority": {"type": "integer", "minimum": 0, "maximum": 100},
  "version": {"type": "integer", "minimum": 0},
  "metadata": {"type": "object", "maxProperties": 32,
               "additionalProperties": {"type": ["string", "number", "boolean"], "maxLength": 1000,
                                        "pattern": "^[^\u0001-\u0008\u000B-\u001F\u007F-\u009F]*$"}},
  "any": {}
})json";

// One schema per row of the coordinator's operation table (src/coordinator/coordinator.cpp), with the fields
// its handler reads (operations.cpp; login and the session operations: secure_sessions.cpp).
constexpr std::string_view kNoFields = R"({"type": "object", "additionalProperties": false})";
const std::pair<std::string_view, std::string_view> kSchemas[] = {
    {"login", R"({"type": "object", "additionalProperties": false,
                  "required": ["agent_id", "password", "certificate"],
                  "properties": {"agent_id": {"$ref": "#/definitions/id"},
                                 "password": {"$ref": "#/definitions/password"},
                                 "certificate": {"$ref": "#/definitions/certificate"}}})"},
    // Stage 5's sign-in: a password, no certificate (checked as "login" by check_sign_in_payload).
    {"password_login", R"({"type": "object", "additionalProperties": false, "required": ["agent_id", "password"],
                           "properties": {"agent_id": {"$ref": "#/definitions/id"},
                                          "password": {"$ref": "#/definitions/password"}}})"},
    {"logout", kNoFields},
    {"get_session_info", kNoFields},
    {"register_worker", R"({"type": "object", "additionalProperties": false, "required": ["specialties"],
                            "properties": {"specialties": {"type": "array", "minItems": 1, "maxItems": 4,
                                                           "uniqueItems": true,
                                                           "items": {"$ref": "#/definitions/specialty"}}}})"},
    {"create_project", R"({"type": "object", "additionalProperties": false, "required": ["name"],
                           "properties": {"name": {"$ref": "#/definitions/name"},
                                          "description": {"$ref": "#/definitions/description"},
                                          "metadata": {"$ref": "#/definitions/metadata"}}})"},
    {"list_projects", kNoFields},
    {"get_project", R"({"type": "object", "additionalProperties": false, "required": ["project_id"],
                        "properties": {"project_id": {"$ref": "#/definitions/id"}}})"},
    {"create_task", R"({"type": "object", "additionalProperties": false,
                        "required": ["project_id", "specialty", "description"],
                        "properties": {"project_id": {"$ref": "#/definitions/id"},
                                       "specialty": {"$ref": "#/definitions/specialty"},
                                       "description": {"$ref": "#/definitions/description"},
                                       "input": {"$ref": "#/definitions/input"},
                                       "priority": {"$ref": "#/definitions/priority"}}})"},
    {"list_tasks", R"({"type": "object", "additionalProperties": false,
                       "properties": {"project_id": {"$ref": "#/definitions/id"},
                                      "status": {"$ref": "#/definitions/status"},
                                      "specialty": {"$ref": "#/definitions/specialty"},
                                      "assignee": {"$ref": "#/definitions/assignee"}}})"},
    {"claim_task", R"({"type": "object", "additionalProperties": false, "required": ["task_id"],
                       "properties": {"task_id": {"$ref": "#/definitions/id"}}})"},
    {"update_task_status", R"({"type": "object", "additionalProperties": false, "required": ["task_id", "status"],
                               "properties": {"task_id": {"$ref": "#/definitions/id"},
                                              "status": {"$ref": "#/definitions/status"},
                                              "result": {"$ref": "#/definitions/any"},
                                              "expected_version": {"$ref": "#/definitions/version"}}})"},
    {"change_role", R"({"type": "object", "additionalProperties": false, "required": ["agent_id", "role"],
                        "properties": {"agent_id": {"$ref": "#/definitions/id"},
                                       "role": {"$ref": "#/definitions/role"}}})"},
    {"subscribe_events", kNoFields},
    {"list_sessions", kNoFields},
    {"enroll_agent", R"({"type": "object", "additionalProperties": false, "required": ["agent_id", "specialties"],
                         "properties": {"agent_id": {"$ref": "#/definitions/id"},
                                        "specialties": {"type": "array", "minItems": 1, "maxItems": 4,
                                                        "uniqueItems": true,
                                                        "items": {"$ref": "#/definitions/specialty"}}}})"},
    {"revoke_session", R"({"type": "object", "additionalProperties": false, "required": ["session"],
                           "properties": {"session": {"type": "string", "pattern": "^[0-9a-f]{12,64}$"}}})"},
    {"migrate_session", R"({"type": "object", "additionalProperties": false, "required": ["certificate"],
                            "properties": {"certificate": {"$ref": "#/definitions/certificate"}}})"},
    {"backup_state", kNoFields},
};

constexpr std::size_t kMaxMetadataKeyChars = 64;
constexpr std::size_t kMaxQuotedChars = 64;  // of peer text quoted in a message

struct CompiledSchema {
  explicit CompiledSchema(rapidjson::MemoryPoolAllocator<>* pool) : source(pool) {}
  rapidjson::Document source;                         // kept: messages read the rule's limits from it
  std::unique_ptr<rapidjson::SchemaDocument> schema;  // null when the text does not compile
};

// RapidJSON silently drops a pattern it cannot compile (the field would then accept anything): refuse the schema.
bool patterns_compile(const rapidjson::Value& v) {
  if (v.IsArray()) {
    return std::all_of(v.Begin(), v.End(), [](const rapidjson::Value& e) { return patterns_compile(e); });
  }
  if (!v.IsObject()) return true;
  for (const auto& m : v.GetObject()) {
    if (std::string_view(m.name.GetString()) == "pattern" && m.value.IsString()) {
      const rapidjson::internal::Regex regex(m.value.GetString());
      if (!regex.IsValid() || std::string_view(m.value.GetString()).size() != m.value.GetStringLength()) return false;
    }
    if (!patterns_compile(m.value)) return false;
  }
  return true;
}

// One thread's compiled schemas (see the header for why per thread).
class Schemas {
 public:
  Schemas() {
    rapidjson::Document definitions(&pool_);
    definitions.Parse(kDefinitions.data(), kDefinitions.size());
    for (const auto& [operation, text] : kSchemas) {
      CompiledSchema& c = by_operation_.try_emplace(std::string(operation), &pool_).first->second;
      c.source.Parse(text.data(), text.size());
      if (c.source.HasParseError() || !c.source.IsObject() || definitions.HasParseError()) continue;
      rapidjson::Value used(rapidjson::kObjectType);  // only the definitions this schema refers to
      for (const auto& d : definitions.GetObject()) {
        if (text.find("\"#/definitions/" + std::string(d.name.GetString()) + "\"") == std::string_view::npos) continue;
        used.AddMember(rapidjson::Value(d.name, pool_), rapidjson::Value(d.value, pool_), pool_);
      }
      c.source.AddMember("definitions", used, pool_);
      if (patterns_compile(c.source)) c.schema = std::make_unique<rapidjson::SchemaDocument>(c.source);
    }
  }
  const CompiledSchema* find(std::string_view operation) const {
    const auto it = by_operation_.find(operation);
    return it == by_operation_.end() ? nullptr : &it->second;
  }

 private:
  rapidjson::MemoryPoolAllocator<> pool_{16 * 1024};  // every source document's values; outlives them
  std::map<std::string, CompiledSchema, std::less<>> by_operation_;
};

const Schemas& schemas() {
  thread_local const Schemas compiled;
  return compiled;
}

// Forwards the parser's events to the validator, showing every NUL in a string or a field name as U+0001.
class NulVisible {
 public:
  explicit NulVisible(rapidjson::SchemaValidator& v) : v_(v) {}
  bool Null() { return v_.Null(); }
  bool Bool(bool b) { return v_.Bool(b); }
  bool Int(int i) { return v_.Int(i); }
  bool Uint(unsigned u) { return v_.Uint(u); }
  bool Int64(std::int64_t i) { return v_.Int64(i); }
  bool Uint64(std::uint64_t u) { return v_.Uint64(u); }
  bool Double(double d) { return v_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return v_.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return visible(s, n, copy, [this](const char* t, rapidjson::SizeType m, bool c) { return v_.String(t, m, c); });
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return visible(s, n, copy, [this](const char* t, rapidjson::SizeType m, bool c) { return v_.Key(t, m, c); });
  }
  bool StartObject() { return v_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return v_.EndObject(n); }
  bool StartArray() { return v_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return v_.EndArray(n); }

 private:
  template <class Forward>
  bool visible(const char* s, rapidjson::SizeType n, bool copy, Forward forward) {
    const std::string_view text(s, n);
    if (text.find('\0') == std::string_view::npos) return forward(s, n, copy);
    std::string shown(text);
    std::replace(shown.begin(), shown.end(), '\0', '\x01');
    return forward(shown.c_str(), n, true);
  }
  rapidjson::SchemaValidator& v_;
};

std::string shown_quoted(std::string_view peer_text) {
  return "\"" + printable(peer_text.substr(0, kMaxQuotedChars)) + (peer_text.size() > kMaxQuotedChars ? "...\"" : "\"");
}

const Json* child(const Json* node, std::string_view name) {
  if (!node || !node->is_object()) return nullptr;
  const auto it = node->find(name);
  return it != node->end() ? &*it : nullptr;
}

// Where the first `count` tokens of a document pointer lead: the field as a message names it
// ("payload.metadata.team", "payload.specialties[1]") and the value there, if any.
struct Field {
  std::string path = "payload";
  const Json* value = nullptr;
};

Field locate(const rapidjson::SchemaValidator::PointerType& pointer, std::size_t count, const Json& payload) {
  Field field{"payload", &payload};
  for (std::size_t i = 0; i < count; ++i) {
    const auto& token = pointer.GetTokens()[i];
    const std::string_view name(token.name, token.length);
    const Json* node = field.value;
    if (node && node->is_array() && token.index != rapidjson::kPointerInvalidIndex) {
      field.path += "[" + std::string(name) + "]";
      field.value = token.index < node->size() ? &(*node)[token.index] : nullptr;
    } else {
      const bool plain = name.size() <= kMaxQuotedChars && !name.empty() &&
                         std::all_of(name.begin(), name.end(), [](char ch) {
                           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
                         });
      field.path += plain ? "." + std::string(name) : "[" + shown_quoted(name) + "]";
      field.value = child(node, name);
    }
  }
  return field;
}

std::string number_text(const rapidjson::Value* v) {
  if (!v || !v->IsNumber()) return "?";
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  return std::to_string(v->GetDouble());
}

std::string type_text(const rapidjson::Value* type) {
  static const std::map<std::string_view, std::string_view> kArticle{
      {"string", "a string"}, {"integer", "an integer"}, {"number", "a number"}, {"boolean", "a boolean"},
      {"object", "an object"}, {"array", "an array"},    {"null", "null"}};
  std::vector<std::string_view> names;
  if (type && type->IsString()) names.push_back(type->GetString());
  if (type && type->IsArray()) {
    for (const auto& t : type->GetArray()) {
      if (t.IsString()) names.push_back(t.GetString());
    }
  }
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto it = kArticle.find(names[i]);
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") +
            std::string(it != kArticle.end() ? it->second : names[i]);
  }
  return text.empty() ? "of another type" : text;
}

// The rule the validator stopped at, as a message naming the field.
Error schema_error(const CompiledSchema& compiled, const rapidjson::SchemaValidator& validator, const Json& payload) {
  const std::string_view keyword = validator.GetInvalidSchemaKeyword() ? validator.GetInvalidSchemaKeyword() : "";
  const rapidjson::Value* rule = validator.GetInvalidSchemaPointer().Get(compiled.source);
  const auto at = [&](const char* name) -> const rapidjson::Value* {
    return rule && rule->IsObject() && rule->HasMember(name) ? &(*rule)[name] : nullptr;
  };
  const auto pointer = validator.GetInvalidDocumentPointer();
  const std::size_t depth = pointer.GetTokenCount();
  const Field located = locate(pointer, depth, payload);
  const std::string& field = located.path;
  const auto invalid = [&](std::string what) { return Error{ErrorCode::kInvalidField, field + ": " + what}; };

  if (keyword == "required") {
    const Json* object = located.value;
    if (const auto* required = at("required"); required && required->IsArray() && object && object->is_object()) {
      for (const auto& name : required->GetArray()) {
        if (name.IsString() && !object->contains(name.GetString())) {
          return Error{ErrorCode::kMissingField, field + "." + name.GetString() + ": is required"};
        }
      }
    }
    return Error{ErrorCode::kMissingField, field + ": a required field is missing"};
  }
  if (keyword == "additionalProperties" && depth > 0) {
    const auto& key = pointer.GetTokens()[depth - 1];
    return Error{ErrorCode::kInvalidField, locate(pointer, depth - 1, payload).path + ": unexpected field " +
                                               shown_quoted(std::string_view(key.name, key.length))};
  }
  if (keyword == "type") return invalid("must be " + type_text(at("type")));
  if (keyword == "maxLength") return invalid("longer than " + number_text(at("maxLength")) + " characters");
  if (keyword == "minLength") {
    const std::string n = number_text(at("minLength"));
    return invalid(n == "1" ? "must not be empty" : "shorter than " + n + " characters");
  }
  if (keyword == "pattern") {
    const auto* message = at("x-pattern-error");
    return invalid(message && message->IsString() ? message->GetString()
                                                  : "contains a control character or a character not allowed here");
  }
  if (keyword == "maximum") return invalid("must be at most " + number_text(at("maximum")));
  if (keyword == "minimum") return invalid("must be at least " + number_text(at("minimum")));
  if (keyword == "enum") {
    std::string values;
    if (const auto* e = at("enum"); e && e->IsArray()) {
      for (const auto& v : e->GetArray()) {
        if (v.IsString()) values += (values.empty() ? "" : ", ") + std::string(v.GetString());
      }
    }
    return invalid("must be one of " + values);
  }
  if (keyword == "maxProperties") return invalid("has more than " + number_text(at("maxProperties")) + " fields");
  if (keyword == "minItems") return invalid("must list at least " + number_text(at("minItems")) + " item(s)");
  if (keyword == "maxItems") return invalid("lists more than " + number_text(at("maxItems")) + " items");
  if (keyword == "uniqueItems") return invalid("repeats an earlier item");
  return invalid("breaks the schema rule \"" + std::string(keyword) + "\"");
}

bool is_id_character(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == ':' || ch == '-';
}

// The rules JSON Schema (draft-04) cannot state: names of metadata fields, the size of a result.
Status check_beyond_schema(const Json& payload) {
  if (auto it = payload.find("metadata"); it != payload.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (key.empty() || key.size() > kMaxMetadataKeyChars || !std::all_of(key.begin(), key.end(), is_id_character)) {
        return Error{ErrorCode::kInvalidField, "payload.metadata: field name " + shown_quoted(key) +
                                                   " is not allowed (1-64 letters, digits and _ . : -)"};
      }
    }
  }
  if (auto it = payload.find("result"); it != payload.end()) {
    if (it->dump().size() > stage2::kMaxResultBytes) {
      return Error{ErrorCode::kInvalidField, "payload.result: larger than " + std::to_string(stage2::kMaxResultBytes) +
                                                 " bytes as JSON"};
    }
  }
  return ok_status();
}

}  // namespace

std::vector<std::string_view> operations_with_schemas() {
  std::vector<std::string_view> operations;
  for (const auto& [operation, text] : kSchemas) {
    if (operation != "password_login") operations.push_back(operation);  // a form of login, not an operation
  }
  return operations;
}

Status check_sign_in_payload(std::string_view operation, const Json& payload) {
  return check_payload(operation == "login" ? "password_login" : operation, payload);
}

Status check_payload(std::string_view operation, const Json& payload) {
  // FIX V-009: every payload meets its operation's schema: types, lengths, ranges, enums, no unknown field.
  // FIX V-031: control characters are refused in every field; markup stays text, and output encoding is its control.
  const CompiledSchema* found = schemas().find(operation);
  if (!found) return Error{ErrorCode::kInvalidField, "no schema for operation " + shown_quoted(operation)};
  const CompiledSchema& compiled = *found;
  if (!compiled.schema) {
    return Error{ErrorCode::kInternalError,
                 "the schema for operation " + shown_quoted(operation) + " does not compile"};
  }
  std::string text;
  try {
    text = payload.dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::exception&) {
    return Error{ErrorCode::kInvalidField, "payload: contains text that is not UTF-8"};
  }
  rapidjson::SchemaValidator validator(*compiled.schema);
  NulVisible handler(validator);
  rapidjson::Reader reader;
  rapidjson::StringStream stream(text.c_str());
  reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(stream, handler);
  if (!validator.IsValid()) return schema_error(compiled, validator, payload);
  if (reader.HasParseError()) return Error{ErrorCode::kInvalidField, "payload: not a JSON value"};
  return check_beyond_schema(payload);
}

}  // namespace lab::stage3

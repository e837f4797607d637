// JsonTextWriter: JSON text written straight from typed values, with no tree
// in between (RapidJSON's Writer into its own string buffer). The hot read
// paths answer with it; everything else keeps building nlohmann::json values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/domain.h"

namespace lab {

class JsonTextWriter {
 public:
  JsonTextWriter();
  ~JsonTextWriter();
  JsonTextWriter(const JsonTextWriter&) = delete;
  JsonTextWriter& operator=(const JsonTextWriter&) = delete;

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view name);
  void string(std::string_view value);
  void integer(std::int64_t value);
  void unsigned_integer(std::uint64_t value);
  void null();
  // Any JSON value that is already a tree (stored metadata, a task's result), serialized in place.
  void json(const Json& value);
  // A JSON object that is already text (written earlier by a writer like this one), copied in as it is.
  void object_text(std::string_view text);

  // The text written so far (one complete value once every object and array is closed).
  std::string_view text() const;
  std::string take() const { return std::string(text()); }

 struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Appends `value` as compact JSON text, exactly as nlohmann's dump() writes it
// (strings not escaped beyond what JSON needs); strings and integers without a
// serializer, the common case on every request.
void append_json(std::string& out, const Json& value);
void append_json_string(std::string& out, std::string_view value);

// The domain types as text: the same members, in the same (sorted) order, as their to_json().
void write_json(JsonTextWriter& w, const Project& project);
void write_json(JsonTextWriter& w, const Task& task);

}  // namespace lab

// AuthFields: a request's `auth` block as read (docs/PROTOCOL.md). Every stage
// that signs requests sends a flat object of strings and integers there, so
// it is kept flat — each member's name with its text or its integer — and no
// tree is ever built for it. A member holding anything else (a fraction, a
// boolean, null, an array, an object, an integer outside int64) is kept by
// name only: asking for its text or integer gives nothing, so a stage refuses
// the block as malformed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"

namespace lab {

class AuthFields {
 public:
  enum class Shape : std::uint8_t {
    kAbsent,  // no `auth` member, or `null`
    kObject,
    kOther,   // a string, a number, a boolean or an array
  };

  Shape shape() const { return shape_; }
  bool is_object() const { return shape_ == Shape::kObject; }
  bool absent() const { return shape_ == Shape::kAbsent; }

  // The member's text when it is a string, else null. The pointer lives as long as this block, unchanged.
  const std::string* text(std::string_view name) const;
  // The member's value when it is an integer from -2^63 to 2^63 - 1, else nothing.
  std::optional<std::int64_t> integer(std::string_view name) const;

  // Building, in reading order. A repeated name keeps the last value, as an object read into a map does: each
  // member is added as read (constant time, so a block of many members costs no more than reading it), and a
  // lookup takes the last one of its name.
  void set_shape(Shape shape);  // clears the members
  void set_text(std::string_view name, std::string_view text);
  void set_integer(std::string_view name, std::int64_t value);
  void set_other(std::string_view name);
  // A member read as a JSON value: a string as text, an integer within int64 as an integer, anything else by name.
  void set_value(std::string_view name, const Json& value);

  // The same block from a JSON value (a client's request, a test): what the reader makes of the same text.
  static AuthFields from_json(const Json& auth);

  // The same shape and the same members with the same values, in any order.
  friend bool operator==(const AuthFields& a, const AuthFields& b);

 private:
  enum class Kind : std::uint8_t { kText, kInteger, kOther };
  struct Member {
    std::string name;
    Kind kind = Kind::kOther;
    std::string text;
    std::int64_t integer = 0;
    friend bool operator==(const Member&, const Member&) = default;
  };
  const Member* find(std::string_view name) const;  // the last member of that name
  Member& add(std::string_view name);

  Shape shape_ = Shape::kAbsent;
  std::vector<Member> members_;  // in reading order, repeats included; a stage asks for a handful of names
};

}  // namespace lab

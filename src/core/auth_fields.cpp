#include "core/auth_fields.h"

#include <limits>

namespace lab {

const AuthFields::Member* AuthFields::find(std::string_view name) const {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

AuthFields::Member& AuthFields::add(std::string_view name) {
  if (members_.empty()) members_.reserve(6);  // every stage's block fits
  return members_.emplace_back(Member{std::string(name)});
}

const std::string* AuthFields::text(std::string_view name) const {
  const Member* m = find(name);
  return m && m->kind == Kind::kText ? &m->text : nullptr;
}

std::optional<std::int64_t> AuthFields::integer(std::string_view name) const {
  const Member* m = find(name);
  if (!m || m->kind != Kind::kInteger) return std::nullopt;
  return m->integer;
}

void AuthFields::set_shape(Shape shape) {
  shape_ = shape;
  members_.clear();
}

void AuthFields::set_text(std::string_view name, std::string_view text) {
  Member& m = add(name);
  m.kind = Kind::kText;
  m.text.assign(text);
}

void AuthFields::set_integer(std::string_view name, std::int64_t value) {
  Member& m = add(name);
  m.kind = Kind::kInteger;
  m.integer = value;
}

void AuthFields::set_other(std::string_view name) { add(name).kind = Kind::kOther; }

void AuthFields::set_value(std::string_view name, const Json& value) {
  if (value.is_string()) {
    set_text(name, value.get_ref<const std::string&>());
  } else if (value.is_number_integer() &&
             (!value.is_number_unsigned() ||
              value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
    set_integer(name, value.get<std::int64_t>());
  } else {
    set_other(name);
  }
}

AuthFields AuthFields::from_json(const Json& auth) {
  AuthFields out;
  if (auth.is_null()) return out;
  if (!auth.is_object()) {
    out.set_shape(Shape::kOther);
    return out;
  }
  out.set_shape(Shape::kObject);
  for (const auto& [name, value] : auth.items()) out.set_value(name, value);
  return out;
}

bool operator==(const AuthFields& a, const AuthFields& b) {
  if (a.shape_ != b.shape_) return false;
  // Every name either holds has the same last value in the other (quadratic: for tests and the fuzzer).
  const auto covered = [](const AuthFields& x, const AuthFields& y) {
    for (const auto& m : x.members_) {
      const AuthFields::Member* mine = x.find(m.name);
      const AuthFields::Member* theirs = y.find(m.name);
      if (!theirs || !(*theirs == *mine)) return false;
    }
    return true;
  };
  return covered(a, b) && covered(b, a);
}

}  // namespace lab

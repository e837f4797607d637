#include "core/auth_fields.h"

#include <limits>

namespace lab {

const AuthFields::Member* AuthFields::find(std::string_view name) const {
  for (const auto& m : members_) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

AuthFields::Member& AuthFields::slot(std::string_view name) {
  if (const Member* m = find(name)) return const_cast<Member&>(*m);
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
  Member& m = slot(name);
  m.kind = Kind::kText;
  m.text.assign(text);
  m.integer = 0;
}

void AuthFields::set_integer(std::string_view name, std::int64_t value) {
  Member& m = slot(name);
  m.kind = Kind::kInteger;
  m.text.clear();
  m.integer = value;
}

void AuthFields::set_other(std::string_view name) {
  Member& m = slot(name);
  m.kind = Kind::kOther;
  m.text.clear();
  m.integer = 0;
}

AuthFields AuthFields::from_json(const Json& auth) {
  AuthFields out;
  if (auth.is_null()) return out;
  if (!auth.is_object()) {
    out.set_shape(Shape::kOther);
    return out;
  }
  out.set_shape(Shape::kObject);
  for (const auto& [name, value] : auth.items()) {
    if (value.is_string()) {
      out.set_text(name, value.get_ref<const std::string&>());
    } else if (value.is_number_integer() &&
               (!value.is_number_unsigned() ||
                value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
      out.set_integer(name, value.get<std::int64_t>());
    } else {
      out.set_other(name);
    }
  }
  return out;
}

bool operator==(const AuthFields& a, const AuthFields& b) {
  if (a.shape_ != b.shape_ || a.members_.size() != b.members_.size()) return false;
  for (const auto& m : a.members_) {
    const AuthFields::Member* other = b.find(m.name);
    if (!other || !(*other == m)) return false;
  }
  return true;
}

}  // namespace lab

#include "core/json_fields.h"

namespace lab::fields {
namespace {

Error missing(std::string_view name) {
  return Error{ErrorCode::kMissingField, "payload." + std::string(name) + " is required"};
}

Error invalid(std::string_view name, std::string_view expected) {
  return Error{ErrorCode::kInvalidField,
               "payload." + std::string(name) + " must be " + std::string(expected)};
}

const Json* find(const Json& obj, std::string_view name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

template <class E, class Parse>
Result<std::optional<E>> optional_enum(const Json& obj, std::string_view name, Parse parse,
                                       std::string_view expected) {
  const Json* v = find(obj, name);
  if (!v) return std::optional<E>{};
  if (!v->is_string()) return invalid(name, expected);
  auto parsed = parse(v->get_ref<const std::string&>());
  if (!parsed) return invalid(name, expected);
  return std::optional<E>{*parsed};
}

template <class E>
Result<E> require(Result<std::optional<E>> r, std::string_view name) {
  if (!r.ok()) return r.error();
  if (!r.value()) return missing(name);
  return *r.value();
}

constexpr std::string_view kRoles = "one of admin, coordinator, worker, observer";
constexpr std::string_view kSpecialties = "one of data_analysis, code_review, testing, documentation";
constexpr std::string_view kStatuses =
    "one of submitted, working, input-required, completed, failed, canceled, rejected";

}  // namespace

Result<std::optional<std::string>> optional_string(const Json& obj, std::string_view name) {
  const Json* v = find(obj, name);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return invalid(name, "a string");
  return std::optional<std::string>{v->get<std::string>()};
}

Result<std::string> required_string(const Json& obj, std::string_view name) {
  return require(optional_string(obj, name), name);
}

Result<std::optional<std::int64_t>> optional_integer(const Json& obj, std::string_view name) {
  const Json* v = find(obj, name);
  if (!v) return std::optional<std::int64_t>{};
  // Unsigned values above INT64_MAX would wrap into negatives: out of domain.
  if (!v->is_number_integer() ||
      (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
    return invalid(name, "a 64-bit signed integer");
  }
  return std::optional<std::int64_t>{v->get<std::int64_t>()};
}

Result<std::optional<Json>> optional_object(const Json& obj, std::string_view name) {
  const Json* v = find(obj, name);
  if (!v) return std::optional<Json>{};
  if (!v->is_object()) return invalid(name, "an object");
  return std::optional<Json>{*v};
}

Result<Role> required_role(const Json& obj, std::string_view name) {
  return require(optional_enum<Role>(obj, name, role_from_string, kRoles), name);
}

Result<std::optional<Specialty>> optional_specialty(const Json& obj, std::string_view name) {
  return optional_enum<Specialty>(obj, name, specialty_from_string, kSpecialties);
}

Result<Specialty> required_specialty(const Json& obj, std::string_view name) {
  return require(optional_specialty(obj, name), name);
}

Result<std::optional<TaskStatus>> optional_status(const Json& obj, std::string_view name) {
  return optional_enum<TaskStatus>(obj, name, task_status_from_string, kStatuses);
}

Result<TaskStatus> required_status(const Json& obj, std::string_view name) {
  return require(optional_status(obj, name), name);
}

Result<std::optional<std::vector<Specialty>>> optional_specialties(const Json& obj,
                                                                   std::string_view name) {
  const Json* v = find(obj, name);
  if (!v) return std::optional<std::vector<Specialty>>{};
  if (!v->is_array()) return invalid(name, "an array of specialties");
  std::vector<Specialty> out;
  for (const auto& item : *v) {
    auto s = item.is_string() ? specialty_from_string(item.get_ref<const std::string&>()) : std::nullopt;
    if (!s) return invalid(name, "an array of specialties (" + std::string(kSpecialties) + ")");
    out.push_back(*s);
  }
  return std::optional<std::vector<Specialty>>{std::move(out)};
}

}  // namespace lab::fields

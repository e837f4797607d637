// Typed access to request fields with protocol errors (MISSING_FIELD /
// INVALID_FIELD) that name the offending field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/result.h"

#define LAB_CONCAT_INNER(a, b) a##b
#define LAB_CONCAT(a, b) LAB_CONCAT_INNER(a, b)
#define LAB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.error();              \
  lhs = std::move(tmp).value()
// LAB_ASSIGN_OR_RETURN(auto name, expr): unwraps a Result or returns its Error.
#define LAB_ASSIGN_OR_RETURN(lhs, expr) LAB_ASSIGN_OR_RETURN_IMPL(LAB_CONCAT(lab_result_, __LINE__), lhs, expr)

namespace lab::fields {

Result<std::string> required_string(const Json& obj, std::string_view name);
Result<std::optional<std::string>> optional_string(const Json& obj, std::string_view name);
Result<std::optional<std::int64_t>> optional_integer(const Json& obj, std::string_view name);
Result<std::optional<Json>> optional_object(const Json& obj, std::string_view name);

Result<Role> required_role(const Json& obj, std::string_view name);
Result<Specialty> required_specialty(const Json& obj, std::string_view name);
Result<std::optional<Specialty>> optional_specialty(const Json& obj, std::string_view name);
Result<TaskStatus> required_status(const Json& obj, std::string_view name);
Result<std::optional<TaskStatus>> optional_status(const Json& obj, std::string_view name);
Result<std::optional<std::vector<Specialty>>> optional_specialties(const Json& obj, std::string_view name);

}  // namespace lab::fields

// Typed access to payload fields: MISSING_FIELD / INVALID_FIELD naming the field.
#include "core/json_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace lab::fields {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

template <class T>
void expect_error(const Result<T>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_THAT(r.error().message, HasSubstr("payload." + std::string(field)));
}

TEST(JsonFieldsTest, RequiredStringReturnsThePresentValue) {
  auto r = required_string(Json{{"name", "alpha"}}, "name");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "alpha");
}

TEST(JsonFieldsTest, RequiredStringAbsentOrNullIsMissingAndNamesTheField) {
  expect_error(required_string(Json::object(), "name"), ErrorCode::kMissingField, "name");
  expect_error(required_string(Json{{"name", nullptr}}, "name"), ErrorCode::kMissingField, "name");
}

TEST(JsonFieldsTest, RequiredStringOfAnotherTypeIsInvalid) {
  for (const Json& v : {Json(42), Json(true), Json::array({"a"}), Json{{"a", 1}}, Json(1.5)}) {
    expect_error(required_string(Json{{"name", v}}, "name"), ErrorCode::kInvalidField, "name");
  }
}

TEST(JsonFieldsTest, TheEmptyStringIsAPresentString) {
  auto r = required_string(Json{{"name", ""}}, "name");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "");
}

TEST(JsonFieldsTest, OptionalStringAbsentIsEmptyNotAnError) {
  auto r = optional_string(Json::object(), "description");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::nullopt);
  expect_error(optional_string(Json{{"description", 3}}, "description"), ErrorCode::kInvalidField, "description");
}

TEST(JsonFieldsTest, OptionalIntegerAcceptsTheWholeInt64Range) {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-5}, std::numeric_limits<std::int64_t>::max(),
                         std::numeric_limits<std::int64_t>::min()}) {
    auto r = optional_integer(Json{{"priority", v}}, "priority");
    ASSERT_TRUE(r.ok()) << v;
    EXPECT_EQ(*r, v);
  }
  EXPECT_EQ(*optional_integer(Json::object(), "priority"), std::nullopt);
}

TEST(JsonFieldsTest, OptionalIntegerRejectsFractionsStringsAndBooleans) {
  for (const Json& v : {Json(1.5), Json(1e30), Json("3"), Json(true)}) {
    expect_error(optional_integer(Json{{"priority", v}}, "priority"), ErrorCode::kInvalidField, "priority");
  }
}

// 18446744073709551615 parses as an unsigned JSON integer; it must not wrap
// around into a small or negative int64 (it used to come back as -1).
TEST(JsonFieldsTest, OptionalIntegerRejectsUnsignedValuesBeyondInt64) {
  const Json payload = Json::parse(R"({"priority":18446744073709551615})");
  expect_error(optional_integer(payload, "priority"), ErrorCode::kInvalidField, "priority");
  const Json just_over = Json::parse(R"({"priority":9223372036854775808})");
  expect_error(optional_integer(just_over, "priority"), ErrorCode::kInvalidField, "priority");
}

TEST(JsonFieldsTest, IntegerLiteralsTooBigForAnyIntegerTypeAreInvalid) {
  const Json payload = Json::parse(R"({"priority":123456789012345678901234567890})");
  expect_error(optional_integer(payload, "priority"), ErrorCode::kInvalidField, "priority");
}

TEST(JsonFieldsTest, OptionalObjectAcceptsOnlyObjects) {
  auto r = optional_object(Json{{"metadata", {{"k", "v"}}}}, "metadata");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, (Json{{"k", "v"}}));
  expect_error(optional_object(Json{{"metadata", Json::array()}}, "metadata"), ErrorCode::kInvalidField, "metadata");
}

TEST(JsonFieldsTest, RolesParseByTheirWireNames) {
  EXPECT_EQ(*required_role(Json{{"role", "admin"}}, "role"), Role::kAdmin);
  EXPECT_EQ(*required_role(Json{{"role", "observer"}}, "role"), Role::kObserver);
  expect_error(required_role(Json{{"role", "root"}}, "role"), ErrorCode::kInvalidField, "role");
  expect_error(required_role(Json{{"role", 1}}, "role"), ErrorCode::kInvalidField, "role");
  expect_error(required_role(Json::object(), "role"), ErrorCode::kMissingField, "role");
}

TEST(JsonFieldsTest, AnInvalidEnumMessageListsTheAllowedValues) {
  auto r = required_role(Json{{"role", "root"}}, "role");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("admin, coordinator, worker, observer"));
}

TEST(JsonFieldsTest, SpecialtiesParseByTheirWireNames) {
  EXPECT_EQ(*required_specialty(Json{{"s", "code_review"}}, "s"), Specialty::kCodeReview);
  EXPECT_EQ(**optional_specialty(Json{{"s", "documentation"}}, "s"), Specialty::kDocumentation);
  EXPECT_EQ(*optional_specialty(Json::object(), "s"), std::nullopt);
  expect_error(required_specialty(Json{{"s", "Code Review"}}, "s"), ErrorCode::kInvalidField, "s");
  expect_error(required_specialty(Json::object(), "s"), ErrorCode::kMissingField, "s");
}

TEST(JsonFieldsTest, StatusesParseByTheirWireNames) {
  EXPECT_EQ(*required_status(Json{{"status", "input-required"}}, "status"), TaskStatus::kInputRequired);
  EXPECT_EQ(**optional_status(Json{{"status", "completed"}}, "status"), TaskStatus::kCompleted);
  expect_error(required_status(Json{{"status", "done"}}, "status"), ErrorCode::kInvalidField, "status");
  expect_error(required_status(Json::object(), "status"), ErrorCode::kMissingField, "status");
}

TEST(JsonFieldsTest, SpecialtyListsParseInOrder) {
  auto r = optional_specialties(Json{{"specialties", {"testing", "data_analysis"}}}, "specialties");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_THAT(**r, ElementsAre(Specialty::kTesting, Specialty::kDataAnalysis));
}

TEST(JsonFieldsTest, AnEmptySpecialtyListIsPresentButEmpty) {
  auto r = optional_specialties(Json{{"specialties", Json::array()}}, "specialties");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_TRUE((*r)->empty());
}

TEST(JsonFieldsTest, SpecialtyListsWithAnyBadItemAreInvalid) {
  for (const Json& v :
       {Json("testing"), Json::array({"testing", 3}), Json::array({"testing", "cooking"}), Json::array({nullptr})}) {
    expect_error(optional_specialties(Json{{"specialties", v}}, "specialties"), ErrorCode::kInvalidField,
                 "specialties");
  }
}

Result<std::string> greet(const Json& payload) {
  LAB_ASSIGN_OR_RETURN(auto name, required_string(payload, "name"));
  LAB_ASSIGN_OR_RETURN(auto title, optional_string(payload, "title"));
  return title.value_or("") + name;
}

TEST(JsonFieldsTest, AssignOrReturnPassesValuesAndReturnsTheFirstError) {
  EXPECT_EQ(*greet(Json{{"name", "Ada"}, {"title", "Dr "}}), "Dr Ada");
  auto missing = greet(Json{{"title", 5}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kMissingField);
  auto invalid = greet(Json{{"name", "Ada"}, {"title", 5}});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidField);
}

}  // namespace
}  // namespace lab::fields

// The AgentStore contract: roles and specialties of known agents. Runs
// against every implementation in store_implementations().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/store/store_implementations.h"

namespace lab::store {
namespace {

using ::testing::ElementsAre;

class AgentStoreContract : public ::testing::TestWithParam<testing::StoreImplementation> {
 protected:
  std::shared_ptr<StoreSet> stores_ = GetParam().make();
  AgentStore& agents_ = stores_->agents();
};

TEST_P(AgentStoreContract, AnUnknownAgentIsNotFound) {
  EXPECT_FALSE(agents_.find("nobody").has_value());
  EXPECT_TRUE(agents_.list().empty());
}

TEST_P(AgentStoreContract, SetRoleCreatesTheAgentOrChangesItsRole) {
  agents_.set_role("a", Role::kCoordinator);
  EXPECT_EQ(agents_.find("a")->role, Role::kCoordinator);
  agents_.set_role("a", Role::kObserver);
  EXPECT_EQ(agents_.find("a")->role, Role::kObserver);
}

TEST_P(AgentStoreContract, RoleOrCreateKeepsAStandingRole) {
  EXPECT_EQ(agents_.role_or_create("w", Role::kWorker), Role::kWorker);
  agents_.set_role("w", Role::kAdmin);
  EXPECT_EQ(agents_.role_or_create("w", Role::kWorker), Role::kAdmin) << "the standing role wins over the initial one";
}

TEST_P(AgentStoreContract, SpecialtiesAreStoredOnceEachInTheOrderFirstGiven) {
  const AgentInfo a = agents_.set_specialties(
      "w", {Specialty::kTesting, Specialty::kCodeReview, Specialty::kTesting, Specialty::kTesting});
  EXPECT_EQ(a.role, Role::kWorker) << "a new agent registered with specialties is a worker";
  EXPECT_THAT(a.specialties, ElementsAre(Specialty::kTesting, Specialty::kCodeReview));
  EXPECT_THAT(agents_.find("w")->specialties, ElementsAre(Specialty::kTesting, Specialty::kCodeReview));
  agents_.set_role("c", Role::kCoordinator);
  EXPECT_EQ(agents_.set_specialties("c", {Specialty::kDocumentation}).role, Role::kCoordinator)
      << "registering specialties leaves a known agent's role alone";
}

TEST_P(AgentStoreContract, ListIsSortedById) {
  for (const char* id : {"zed", "amy", "kim"}) agents_.set_role(id, Role::kWorker);
  std::vector<std::string> ids;
  for (const auto& a : agents_.list()) ids.push_back(a.id);
  EXPECT_THAT(ids, ElementsAre("amy", "kim", "zed"));
}

INSTANTIATE_TEST_SUITE_P(Stores, AgentStoreContract, ::testing::ValuesIn(testing::store_implementations()),
                         testing::implementation_name);

}  // namespace
}  // namespace lab::store

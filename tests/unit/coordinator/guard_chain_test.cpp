// The guard chain: phase order, the first enforced rejection stops the request,
// shadow mode records and continues, off skips, every guard counts.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "coordinator/address_binding_guard.h"
#include "coordinator/guard_chain.h"
#include "coordinator/role_permissions.h"

namespace lab::coordinator {
namespace {

// A guard that logs its name when consulted and rejects when told to.
class ScriptedGuard final : public Guard {
 public:
  ScriptedGuard(std::string name, Phase phase, bool rejects, std::vector<std::string>& trace)
      : name_(std::move(name)), phase_(phase), rejects_(rejects), trace_(trace) {}
  std::string_view name() const override { return name_; }
  Phase phase() const override { return phase_; }
  std::vector<std::string> fixes() const override { return {"V-999"}; }
  Verdict check(GuardContext&) override {
    trace_.push_back(name_);
    if (!rejects_) return std::nullopt;
    return Rejection{Error{ErrorCode::kPermissionDenied, name_ + " says no"}, "detail of " + name_};
  }

 private:
  std::string name_;
  Phase phase_;
  bool rejects_;
  std::vector<std::string>& trace_;
};

class GuardChainTest : public ::testing::Test {
 protected:
  void add(const std::string& name, Phase phase, bool rejects, GuardMode mode = GuardMode::kEnforce) {
    chain_.add(std::make_unique<ScriptedGuard>(name, phase, rejects, trace_), mode);
  }
  Verdict run_all() {
    GuardContext context{request_, origin_, Permission::kProjectRead, std::nullopt};
    for (Phase p : {Phase::kBeforeAuthentication, Phase::kAuthentication, Phase::kBinding, Phase::kAuthorization,
                    Phase::kPayload}) {
      if (auto v = chain_.run(p, context)) return v;
    }
    return std::nullopt;
  }

  GuardChain chain_;
  std::vector<std::string> trace_;
  Request request_{.type = "list_projects"};
  RequestOrigin origin_{Peer{"127.0.0.2", 1, 1, {}}, {}, nullptr};
};

TEST_F(GuardChainTest, GuardsRunByPhaseThenInTheOrderAdded) {
  add("payload", Phase::kPayload, false);
  add("who", Phase::kAuthentication, false);
  add("may", Phase::kAuthorization, false);
  add("who-else", Phase::kAuthentication, false);
  EXPECT_FALSE(run_all());
  EXPECT_EQ(trace_, (std::vector<std::string>{"who", "who-else", "may", "payload"}));
  std::vector<std::string> listed;
  for (const auto& row : chain_.rows()) listed.push_back(row.name);
  EXPECT_EQ(listed, trace_) << "rows() lists the chain in the order it runs";
}

TEST_F(GuardChainTest, AnEnforcedRejectionStopsTheChainAndIsReturned) {
  add("who", Phase::kAuthentication, false);
  add("may", Phase::kAuthorization, true);
  add("payload", Phase::kPayload, false);
  const auto verdict = run_all();
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->error.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(verdict->audit_detail, "detail of may");
  EXPECT_EQ(trace_, (std::vector<std::string>{"who", "may"}));
}

TEST_F(GuardChainTest, ShadowModeRecordsTheRejectionAndContinues) {
  std::vector<std::string> shadowed;
  chain_.on_shadow([&](const Guard& g, const Rejection& r, const GuardContext&) {
    shadowed.push_back(std::string(g.name()) + ": " + r.audit_detail);
  });
  add("binding", Phase::kBinding, true, GuardMode::kShadow);
  add("may", Phase::kAuthorization, false);
  EXPECT_FALSE(run_all());
  EXPECT_EQ(trace_, (std::vector<std::string>{"binding", "may"}));
  EXPECT_EQ(shadowed, (std::vector<std::string>{"binding: detail of binding"}));
}

TEST_F(GuardChainTest, AGuardSwitchedOffIsNotConsulted) {
  add("may", Phase::kAuthorization, true);
  ASSERT_TRUE(chain_.set_mode("may", GuardMode::kOff).ok());
  EXPECT_FALSE(run_all());
  EXPECT_TRUE(trace_.empty());
  EXPECT_FALSE(chain_.set_mode("no-such-control", GuardMode::kOff).ok());
}

TEST_F(GuardChainTest, EveryGuardCountsItsChecksAndRejections) {
  add("binding", Phase::kBinding, true, GuardMode::kShadow);
  add("may", Phase::kAuthorization, true);
  for (int i = 0; i < 3; ++i) (void)run_all();
  const auto rows = chain_.rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].checks, 3u);
  EXPECT_EQ(rows[0].shadow_rejections, 3u);
  EXPECT_EQ(rows[0].rejections, 0u);
  EXPECT_EQ(rows[1].checks, 3u);
  EXPECT_EQ(rows[1].rejections, 3u);
  EXPECT_EQ(chain_.to_json()[1]["fixes"], Json::array({"V-999"}));
}

std::shared_ptr<const SessionBinding> bound_to(const std::string& address) {
  return std::make_shared<const SessionBinding>(SessionBinding{"alice", address});
}

TEST(AddressBindingGuard, RejectsASessionUsedFromAnotherAddressOnly) {
  AddressBindingGuard guard;
  Request request{.type = "list_projects"};
  RequestOrigin from_other{Peer{"127.0.0.2", 1, 1, {}}, {}, nullptr};
  RequestOrigin from_same{Peer{"127.0.0.1", 1, 1, {}}, {}, nullptr};
  GuardContext other{request, from_other, Permission::kProjectRead, Caller{"alice", Role::kCoordinator, "s", true, std::nullopt, bound_to("127.0.0.1")}};
  GuardContext same{request, from_same, Permission::kProjectRead, Caller{"alice", Role::kCoordinator, "s", true, std::nullopt, bound_to("127.0.0.1")}};
  GuardContext unbound{request, from_other, Permission::kProjectRead, Caller{"alice", Role::kCoordinator, "s", true, std::nullopt, bound_to("")}};
  const auto refused = guard.check(other);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->error.code, ErrorCode::kAuthFailed);
  EXPECT_EQ(refused->error.message.find("127.0.0"), std::string::npos) << "addresses stay in the audit detail";
  EXPECT_EQ(refused->audit_detail, "session of alice used from 127.0.0.2 (logged in from 127.0.0.1)");
  EXPECT_FALSE(guard.check(same));
  EXPECT_FALSE(guard.check(unbound));
}

TEST(RolePermissions, AListedPermissionNeedsOneOfItsRolesAndAnUnlistedOneIsOpen) {
  RolePermissions rules({{Permission::kRoleChange, {Role::kAdmin}}});
  const Caller worker{"bob", Role::kWorker, "s", true};
  const Caller admin{"root", Role::kAdmin, "s", true};
  const auto denied = rules.authorize(worker, Permission::kRoleChange);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(denied.error().message, "role:change needs the role admin");
  EXPECT_TRUE(rules.authorize(admin, Permission::kRoleChange).ok());
  EXPECT_TRUE(rules.authorize(worker, Permission::kTaskClaim).ok()) << "not listed: open to every caller";
}

TEST(Permission, NamesRoundTrip) {
  for (Permission p : {Permission::kSessionOpen, Permission::kProjectCreate, Permission::kEventsSubscribe}) {
    EXPECT_EQ(permission_from_string(to_string(p)), p);
  }
  EXPECT_FALSE(permission_from_string("project:delete"));
}

}  // namespace
}  // namespace lab::coordinator

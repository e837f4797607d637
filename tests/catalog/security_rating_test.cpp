// The security rating is the CVSS-weighted share of the catalog's risk a stage
// closes; n/a entries do not count, a partial one counts half.
#include <gtest/gtest.h>

#include "catalog/security_rating.h"

namespace lab::catalog {
namespace {

Entry entry(const std::string& category, double cvss, Status stage1) {
  Entry e;
  e.category = category;
  e.cvss_score = cvss;
  e.stages[1] = StageStatus{stage1, ""};
  return e;
}

TEST(SecurityRating, IsTheWeightedShareOfRiskClosed) {
  Catalog c;
  c.entries = {entry("session", 9.0, Status::kFixed), entry("session", 3.0, Status::kVulnerable),
               entry("state", 6.0, Status::kPartial), entry("state", 10.0, Status::kNotApplicable)};
  const auto r = rate_stage(c, 1);
  ASSERT_TRUE(r.has_value());
  // open: 3 + 6/2 = 6 of 18 applicable -> 10 * (1 - 6/18)
  EXPECT_NEAR(r->overall, 10.0 * (1.0 - 6.0 / 18.0), 1e-9);
  EXPECT_NEAR(r->by_category.at("session"), 10.0 * (1.0 - 3.0 / 12.0), 1e-9);
  EXPECT_NEAR(r->by_category.at("state"), 5.0, 1e-9);
  EXPECT_FALSE(rate_stage(c, 2).has_value()) << "no entry speaks of stage 2";
}

TEST(SecurityRating, OfTheLabsStagesFollowsWhatTheirAttacksProve) {
  const auto& c = builtin_catalog();
  EXPECT_DOUBLE_EQ(rate_stage(c, 1)->overall, 0.0) << "stage 1 is vulnerable to every entry that applies to it";
  const double two = rate_stage(c, 2)->overall;
  EXPECT_GT(two, 0.0);
  EXPECT_LT(two, rate_stage(c, 3)->overall);
}

}  // namespace
}  // namespace lab::catalog

#include "catalog/security_rating.h"

namespace lab::catalog {
namespace {

double open_share(Status s) {
  switch (s) {
    case Status::kVulnerable: return 1.0;
    case Status::kPartial: return 0.5;
    default: return 0.0;
  }
}

struct Sums {
  double open = 0;
  double total = 0;
  double rating() const { return 10.0 * (1.0 - open / total); }
};

}  // namespace

std::optional<SecurityRating> rate_stage(const Catalog& catalog, int stage) {
  Sums all;
  std::map<std::string, Sums> by_category;
  for (const auto& e : catalog.entries) {
    const auto it = e.stages.find(stage);
    if (it == e.stages.end() || it->second.status == Status::kNotApplicable) continue;
    const double weight = e.cvss_score;
    const double open = weight * open_share(it->second.status);
    all.open += open;
    all.total += weight;
    by_category[e.category].open += open;
    by_category[e.category].total += weight;
  }
  if (all.total <= 0) return std::nullopt;
  SecurityRating r;
  r.overall = all.rating();
  for (const auto& [category, sums] : by_category) {
    if (sums.total > 0) r.by_category[category] = sums.rating();
  }
  return r;
}

int planned_rating(int stage) {
  switch (stage) {
    case 1: return 0;
    case 2: return 4;
    default: return 9;
  }
}

}  // namespace lab::catalog

// A stage's security rating, computed from the catalog: the share of the
// catalog's risk, weighted by CVSS base score, that the stage closes.
//
//   rating = 10 × (1 − Σ weight × open / Σ weight)
//
// over the entries that apply to the stage (n/a ones are left out), where
// weight is the entry's CVSS 3.1 base score and open is 1 for vulnerable,
// ½ for partial and 0 for fixed. The same formula over one category gives the
// per-domain figures. It measures the catalog only: 10 means every weakness
// the catalog lists is closed, each proven by its attacks; it says nothing of
// weaknesses the catalog does not list.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "catalog/catalog.h"

namespace lab::catalog {

struct SecurityRating {
  double overall = 0;                      // 0-10
  std::map<std::string, double> by_category;  // category -> 0-10 (categories with an entry that applies)
};

// Nullopt when no entry applies to the stage.
std::optional<SecurityRating> rate_stage(const Catalog& catalog, int stage);

// What the original plan rated each stage (0/10, 4/10, 9/10, 9/10, 9/10), shown beside the computed rating.
int planned_rating(int stage);

}  // namespace lab::catalog

// The one-letter spelling of a matrix cell (E exploited, B blocked, ! error,
// - not applicable), shared by the terminal table and the HTML report.
#pragma once

#include <string>

#include "attacks/attack.h"
#include "catalog/catalog.h"

namespace lab::runner {

inline std::string outcome_letter(attacks::Outcome outcome) {
  switch (outcome) {
    case attacks::Outcome::kExploited:
      return "E";
    case attacks::Outcome::kBlocked:
      return "B";
    case attacks::Outcome::kError:
      return "!";
    case attacks::Outcome::kNotApplicable:
      return "-";
  }
  return "?";  // not an Outcome
}

inline std::string expected_letter(catalog::Expected expected) {
  return expected == catalog::Expected::kExploited ? "E" : expected == catalog::Expected::kBlocked ? "B" : "-";
}

}  // namespace lab::runner

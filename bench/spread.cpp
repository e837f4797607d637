#include "spread.h"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace lab::bench {

double Spread::median() const {
  if (rounds.empty()) return 0;
  std::vector<double> sorted = rounds;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
double Spread::min() const { return rounds.empty() ? 0 : *std::min_element(rounds.begin(), rounds.end()); }
double Spread::max() const { return rounds.empty() ? 0 : *std::max_element(rounds.begin(), rounds.end()); }

std::string fixed(double v, int decimals) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(decimals) << v;
  return s.str();
}

void print_figure(std::ostream& out, const std::string& what, const Spread& s, int decimals, const std::string& unit,
                  const std::string& goal) {
  out << "  " << std::left << std::setw(66) << what << std::right;
  if (!s.measured()) {
    out << "not measured\n";
    return;
  }
  out << std::setw(10) << fixed(s.median(), decimals) << unit << "  [" << fixed(s.min(), decimals) << " .. "
      << fixed(s.max(), decimals) << "]";
  if (!goal.empty()) out << "  (goal " << goal << ")";
  out << "\n";
}

void print_note(std::ostream& out, const std::string& text) { out << "      " << text << "\n"; }

}  // namespace lab::bench

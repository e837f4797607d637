// A figure measured over several rounds, and how the reports print one: its median, its range, and the goal it
// is judged by. Shared by `lab bench stage3` and `lab bench stage4`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lab::bench {

// Median and range of one figure over the rounds.
struct Spread {
  std::vector<double> rounds;
  double median() const;
  double min() const;
  double max() const;
  bool measured() const { return !rounds.empty(); }
};

// a / b, or 0 when b is not positive (nothing measured).
inline double ratio(double a, double b) { return b > 0 ? a / b : 0; }

// `v` with `decimals` digits after the point.
std::string fixed(double v, int decimals);

// "  WHAT   MEDIAN UNIT  [MIN .. MAX]  (goal GOAL)", or "not measured"; no goal part when `goal` is empty.
void print_figure(std::ostream& out, const std::string& what, const Spread& s, int decimals, const std::string& unit,
                  const std::string& goal);
// An indented line of explanation under a figure.
void print_note(std::ostream& out, const std::string& text);

}  // namespace lab::bench

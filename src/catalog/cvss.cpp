#include "catalog/cvss.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace lab::catalog {

double cvss_roundup(double x) {
  const auto n = static_cast<long long>(std::llround(x * 100000.0));
  if (n % 10000 == 0) return static_cast<double>(n) / 100000.0;
  return (std::floor(static_cast<double>(n) / 10000.0) + 1.0) / 10.0;
}

std::string_view cvss_severity(double score) {
  if (score <= 0.0) return "None";
  if (score < 4.0) return "Low";
  if (score < 7.0) return "Medium";
  if (score < 9.0) return "High";
  return "Critical";
}

Result<double> cvss31_base_score(std::string_view vector) {
  if (vector.rfind("CVSS:3.1/", 0) == 0) vector.remove_prefix(9);
  std::map<std::string, std::string> m;
  while (!vector.empty()) {
    const auto slash = vector.find('/');
    const auto part = vector.substr(0, slash);
    const auto colon = part.find(':');
    if (colon == std::string_view::npos) return Error{ErrorCode::kInvalidField, "bad CVSS metric '" + std::string(part) + "'"};
    if (!m.emplace(std::string(part.substr(0, colon)), std::string(part.substr(colon + 1))).second) {
      return Error{ErrorCode::kInvalidField, "duplicate CVSS metric " + std::string(part.substr(0, colon))};
    }
    if (slash == std::string_view::npos) break;
    vector.remove_prefix(slash + 1);
  }
  auto pick = [&](const char* metric, std::initializer_list<std::pair<const char*, double>> table) -> std::optional<double> {
    auto it = m.find(metric);
    if (it == m.end()) return std::nullopt;
    for (const auto& [k, v] : table) {
      if (it->second == k) return v;
    }
    return std::nullopt;
  };
  const auto scope = m.count("S") ? m["S"] : "";
  if (scope != "U" && scope != "C") return Error{ErrorCode::kInvalidField, "CVSS scope must be S:U or S:C"};
  const bool changed = scope == "C";
  const auto av = pick("AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  const auto ac = pick("AC", {{"L", 0.77}, {"H", 0.44}});
  const auto pr = pick("PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  const auto ui = pick("UI", {{"N", 0.85}, {"R", 0.62}});
  const auto c = pick("C", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  const auto i = pick("I", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  const auto a = pick("A", {{"H", 0.56}, {"L", 0.22}, {"N", 0.0}});
  if (!av || !ac || !pr || !ui || !c || !i || !a || m.size() != 8) {
    return Error{ErrorCode::kInvalidField, "a CVSS 3.1 base vector needs exactly AV, AC, PR, UI, S, C, I, A"};
  }
  const double iss = 1 - (1 - *c) * (1 - *i) * (1 - *a);
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * *av * *ac * *pr * *ui;
  if (impact <= 0) return 0.0;
  const double raw = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return cvss_roundup(std::min(raw, 10.0));
}

}  // namespace lab::catalog

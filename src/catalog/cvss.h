// CVSS 3.1 base score from a vector (FIRST specification §7.1, §7.4, Appendix A).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace lab::catalog {

// Vector with or without the "CVSS:3.1/" prefix, e.g. "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N".
Result<double> cvss31_base_score(std::string_view vector);
// "None", "Low", "Medium", "High" or "Critical".
std::string_view cvss_severity(double score);
// Smallest one-decimal value >= x, immune to floating-point noise (Appendix A).
double cvss_roundup(double x);

}  // namespace lab::catalog

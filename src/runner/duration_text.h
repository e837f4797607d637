// A measured duration as the lab prints it: precise enough that a fast run
// does not read "0.0 s" — "22 ms" below a second, "1.25 s" below ten,
// "51.0 s" above.
#pragma once

#include <cstdio>
#include <string>

namespace lab::runner {

inline std::string duration_text(double seconds) {
  char text[32];
  if (seconds < 0.9995) {
    std::snprintf(text, sizeof text, "%.0f ms", seconds * 1000);
  } else if (seconds < 9.995) {
    std::snprintf(text, sizeof text, "%.2f s", seconds);
  } else {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  }
  return text;
}

}  // namespace lab::runner

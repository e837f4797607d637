#include "catalog/markers.h"

#include <algorithm>
#include <fstream>
#include <regex>

namespace lab::catalog {

std::vector<Marker> scan_markers(const std::filesystem::path& root) {
  static const std::regex kMarker(R"(//\s*(VULN|FIX)\s+([VW]-\d{3}):\s*(.*)$)");
  std::vector<Marker> out;
  for (const char* dir : {"src", "stages", "app"}) {
    const auto base = root / dir;
    if (!std::filesystem::exists(base)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(base)) {
      const auto ext = entry.path().extension();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        std::smatch m;
        if (std::regex_search(line, m, kMarker)) {
          out.push_back(Marker{m[1], m[2], std::filesystem::relative(entry.path(), root).generic_string(), number, m[3]});
        }
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Marker& a, const Marker& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  return out;
}

int stage_of(const std::string& file) {
  static const std::regex kStage(R"(^stages/stage(\d)_)");
  std::smatch m;
  return std::regex_search(file, m, kStage) ? std::stoi(m[1]) : 0;
}

}  // namespace lab::catalog

#include "catalog/markers.h"

#include <algorithm>
#include <fstream>
#include <regex>

namespace lab::catalog {

namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool is_comment(const std::string& line) { return line.rfind("//", 0) == 0 || line.rfind("*", 0) == 0; }

// A statement ends with `;` or `}`; a line that opens a block ends the snippet only once it shows more than the
// opening (so `do {` brings the statement inside it along).
bool ends_snippet(const std::string& line, std::size_t lines_so_far) {
  const char last = line.back();
  return last == ';' || (last == '}' && line.size() > 1) || (last == '{' && lines_so_far >= 2);
}

// The code a marker at lines[at] sits on (see Marker::code).
std::vector<std::string> code_of(const std::vector<std::string>& lines, std::size_t at, std::size_t marker_column) {
  const std::string before = trimmed(lines[at].substr(0, marker_column));
  if (!before.empty()) return {before};
  std::vector<std::string> code;
  for (std::size_t i = at + 1; i < lines.size() && static_cast<int>(code.size()) < Marker::kCodeLines; ++i) {
    const std::string line = trimmed(lines[i]);
    if (line.empty()) {
      if (code.empty()) continue;
      break;
    }
    if (is_comment(line)) {
      if (code.empty()) continue;
      break;
    }
    code.push_back(line);
    if (ends_snippet(line, code.size())) break;
  }
  return code;
}

}  // namespace

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
      std::vector<std::string> lines;
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch m;
        if (!std::regex_search(lines[i], m, kMarker)) continue;
        out.push_back(Marker{m[1], m[2], std::filesystem::relative(entry.path(), root).generic_string(),
                             static_cast<int>(i + 1), m[3], code_of(lines, i, static_cast<std::size_t>(m.position(0)))});
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

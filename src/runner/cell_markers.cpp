#include "runner/cell_markers.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace lab::runner {
namespace {

// The marker kind a cell's outcome points at: the weakness an exploit went through, the control a refusal
// came from. Empty for a cell that points nowhere.
std::string wanted_kind(const MatrixCell& cell) {
  switch (cell.outcome) {
    case attacks::Outcome::kExploited:
      return "VULN";
    case attacks::Outcome::kBlocked:
      return "FIX";
    case attacks::Outcome::kError:
      return cell.expected == catalog::Expected::kExploited ? "VULN"
             : cell.expected == catalog::Expected::kBlocked ? "FIX"
                                                            : "";
    case attacks::Outcome::kNotApplicable:
      return "";
  }
  return "";
}

const catalog::Marker* find_marker(const std::vector<catalog::Marker>& markers, const std::string& id,
                                   const std::string& file, const std::string& kind) {
  const auto it = std::find_if(markers.begin(), markers.end(), [&](const catalog::Marker& m) {
    return m.id == id && m.file == file && (kind.empty() || m.kind == kind);
  });
  return it == markers.end() ? nullptr : &*it;
}

std::string percent_encoded(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

std::vector<const catalog::Marker*> markers_of_cell(const MatrixCell& cell, const catalog::Catalog& catalog,
                                                    const std::vector<catalog::Marker>& markers) {
  std::vector<const catalog::Marker*> out;
  const std::string kind = wanted_kind(cell);
  if (kind.empty()) return out;
  for (const auto& id : cell.proves) {
    const catalog::Entry* entry = catalog.find_entry(id);
    if (!entry) continue;
    const auto file = entry->markers.find(cell.stage);
    if (file == entry->markers.end()) continue;
    const catalog::Marker* marker = find_marker(markers, id, file->second, kind);
    if (!marker) marker = find_marker(markers, id, file->second, "");
    if (marker && std::find(out.begin(), out.end(), marker) == out.end()) out.push_back(marker);
  }
  return out;
}

std::string marker_href(const SourceMarkers& sources, const catalog::Marker& marker) {
  if (sources.root_href.empty()) return {};
  return sources.root_href + percent_encoded(marker.file) + "#L" + std::to_string(marker.line);
}

std::string source_root_href(const std::filesystem::path& report_dir, const std::filesystem::path& root) {
  const auto resolved = [](const std::filesystem::path& p) {
    auto path = std::filesystem::absolute(p).lexically_normal();
    if (!path.has_filename() && path != path.root_path()) path = path.parent_path();  // "out/" is "out"
    std::error_code ec;
    auto real = std::filesystem::weakly_canonical(path, ec);  // symbolic links followed where the path exists
    return ec ? path : real;
  };
  const std::string relative = resolved(root).lexically_relative(resolved(report_dir)).generic_string();
  if (relative.empty() || relative == ".") return "./";
  return percent_encoded(relative) + "/";
}

}  // namespace lab::runner

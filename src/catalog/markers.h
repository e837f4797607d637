// Code markers: "// VULN V-0xx: why" and "// FIX V-0xx: how" lines in the
// lab's sources, tied to catalog entries.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lab::catalog {

struct Marker {
  std::string kind;  // "VULN" or "FIX"
  std::string id;    // "V-004"
  std::string file;  // relative to the source root, e.g. "stages/stage2_improved/improved_sessions.cpp"
  int line = 0;
  std::string text;  // what follows "V-0xx: "
  // The code the marker sits on: the code before it on its own line, else the statement after it (comment lines
  // skipped, at most kCodeLines lines, up to the first that ends a statement or opens or closes a block), trimmed.
  std::vector<std::string> code;
  static constexpr int kCodeLines = 4;
};

// Every marker under root/src, root/stages and root/app (.h and .cpp files), sorted by file and line.
std::vector<Marker> scan_markers(const std::filesystem::path& root);

// Stage number a file belongs to ("stages/stage2_*" -> 2), or 0 for shared code.
int stage_of(const std::string& file);

}  // namespace lab::catalog

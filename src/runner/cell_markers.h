// The code a matrix cell points at. An exploited cell points at the weakness it
// proved: the `// VULN V-0xx` marker of each entry its attack proves, in the
// file the catalog names for that stage. A blocked cell points at the control
// that stopped it: the `// FIX V-0xx` marker there.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/markers.h"
#include "runner/matrix.h"

namespace lab::runner {

// The source tree as the report reaches it.
struct SourceMarkers {
  std::vector<catalog::Marker> markers;  // catalog::scan_markers(root)
  // The source root as a link from the report's directory ("../" for out/report.html in the clone); empty =
  // the markers are named without links.
  std::string root_href;
};

// The markers of `cell`, at most one for each entry its attack proves, in the order of `cell.proves`. An `n/a`
// cell has none. An error cell points where its expected outcome would. When the stage's file holds no
// marker of the wanted kind for an entry (the outcome drifted from what the catalog says of it), that
// entry's other marker in the file is given instead: the control that should have held, or the weakness
// that should have shown.
std::vector<const catalog::Marker*> markers_of_cell(const MatrixCell& cell, const catalog::Catalog& catalog,
                                                    const std::vector<catalog::Marker>& markers);

// "../stages/stage1_insecure/insecure_sessions.cpp#L45": the marker's file and line as a link.
std::string marker_href(const SourceMarkers& sources, const catalog::Marker& marker);

// How a page in `report_dir` links to `root`: the relative path between them with a trailing slash ("../"),
// percent-encoded where a character may not stand in a URL path.
std::string source_root_href(const std::filesystem::path& report_dir, const std::filesystem::path& root);

}  // namespace lab::runner

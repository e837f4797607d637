// out/report.html: a self-contained page with the matrix (each cell coloured
// by its outcome, marked when it drifts from the catalog, and linked to the
// line of code it proves), the demo's project run, the evidence of every cell
// and the catalog's details (CWE, CVSS, ASVS, per-stage status).
#pragma once

#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "runner/ablation.h"
#include "runner/cell_markers.h"
#include "runner/demo_run.h"
#include "runner/matrix.h"

namespace lab::runner {

// `ablations` (lab matrix --ablation): one table per stage, after the matrix. `sources`: the code markers the
// cells link to (none: the cells name no code). `demo`: what `lab demo` did with its project before the matrix.
std::string render_report_html(const MatrixResult& result, const catalog::Catalog& catalog,
                               const std::string& generated_at, const std::vector<AblationResult>& ablations = {},
                               const SourceMarkers& sources = {}, const std::optional<DemoSummary>& demo = {});

// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace lab::runner

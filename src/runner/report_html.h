// out/report.html: a self-contained page with the matrix, the evidence of
// every cell and the catalog's details (CWE, CVSS, ASVS, per-stage status).
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "runner/ablation.h"
#include "runner/matrix.h"

namespace lab::runner {

// `ablations` (lab matrix --ablation): one table per stage, after the matrix.
std::string render_report_html(const MatrixResult& result, const catalog::Catalog& catalog,
                               const std::string& generated_at, const std::vector<AblationResult>& ablations = {});

// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace lab::runner

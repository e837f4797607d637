// The HTML report shows what its run proved and nothing more: a stage it did
// not run has no status in it, only the note that it was not run.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "runner/report_html.h"

namespace lab::runner {
namespace {

TEST(ReportHtml, AStageTheRunDidNotCoverShowsNoStatus) {
  const auto& catalog = catalog::builtin_catalog();
  MatrixResult result;
  result.stages = {1, 2};
  const std::string html = render_report_html(result, catalog, "2026-01-01T00:00:00Z");
  const auto v001 = html.find("<div class=\"entry\" id=\"V-001\">");
  ASSERT_NE(v001, std::string::npos);
  const std::string entry = html.substr(v001, html.find("</div>", v001) - v001);
  EXPECT_NE(entry.find("<th>stage 1</th><th>stage 2</th></tr>"), std::string::npos) << entry;
  EXPECT_EQ(entry.find("<th>stage 3</th>"), std::string::npos) << entry;
  EXPECT_NE(entry.find("Not run in this report: stage 3, 4, 5."), std::string::npos) << entry;
  // Stage 1's status is there; stage 3's "fixed" (what the catalog plans) is not claimed.
  EXPECT_NE(entry.find("status-vulnerable"), std::string::npos);
  EXPECT_EQ(entry.find(catalog.entries.front().stages.at(3).why), std::string::npos);
}

}  // namespace
}  // namespace lab::runner

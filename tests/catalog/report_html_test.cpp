// The HTML report shows what its run proved and nothing more: a stage it did
// not run has no status in it, only the note that it was not run. Each cell is
// coloured by its outcome, marked when it drifts from the catalog, and linked
// to the marker of the code it proves; the demo's project run is summarized
// when the demo left a summary.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "runner/cell_markers.h"
#include "runner/demo_run.h"
#include "runner/duration_text.h"
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

// A matrix built by hand: session-fixation (V-025) exploited on stage 1 and blocked on stage 3 as the catalog
// expects, exploited on stage 2 where the catalog expects it blocked (drift); recover-prng-seed not applicable
// on stage 1.
MatrixCell cell(const std::string& attack, int stage, catalog::Expected expected, attacks::Outcome outcome) {
  const auto* spec = catalog::builtin_catalog().find_attack(attack);
  MatrixCell c;
  c.attack = attack;
  c.title = spec->title;
  c.stage = stage;
  c.expected = expected;
  c.outcome = outcome;
  c.evidence = "evidence of " + attack + " on stage " + std::to_string(stage);
  c.proves = spec->proves;
  c.seconds = 1.25;
  return c;
}

MatrixResult hand_made_matrix() {
  using attacks::Outcome;
  using catalog::Expected;
  MatrixResult result;
  result.stages = {1, 2, 3};
  result.seconds = 12.5;
  result.cells = {
      cell("recover-prng-seed", 1, Expected::kNotApplicable, Outcome::kNotApplicable),
      cell("session-fixation", 1, Expected::kExploited, Outcome::kExploited),
      cell("session-fixation", 2, Expected::kBlocked, Outcome::kExploited),
      cell("session-fixation", 3, Expected::kBlocked, Outcome::kBlocked),
  };
  return result;
}

// The markers of V-025 where the catalog says they are, and a decoy: a FIX V-025 in a file the catalog does
// not name for stage 3.
SourceMarkers hand_made_sources() {
  SourceMarkers sources;
  sources.root_href = "../";
  sources.markers = {
      {"FIX", "V-025", "src/coordinator/decoy.cpp", 7, "not the one the catalog names", {"decoy();"}},
      {"VULN", "V-025", "stages/stage1_insecure/insecure_sessions.cpp", 74, "session fixation", {"adopt(id);"}},
      {"FIX", "V-025", "stages/stage2_improved/improved_sessions.cpp", 120, "a fresh id", {"fresh();"}},
      {"FIX", "V-025", "stages/stage3_secure/secure_sessions.cpp", 90, "every login gets a fresh id", {"issue();"}},
  };
  return sources;
}

// The matrix row of `attack`, cut into its cells: the attack, what it proves, then one per stage.
std::vector<std::string> row_cells(const std::string& html, const std::string& attack) {
  const auto row = html.find("<tr><td><a href=\"#attack-" + attack + "\">");
  EXPECT_NE(row, std::string::npos) << attack;
  if (row == std::string::npos) return {};
  const std::string text = html.substr(row, html.find("</tr>", row) - row);
  std::vector<std::string> cells;
  for (auto at = text.find("<td"); at != std::string::npos;) {
    const auto next = text.find("<td", at + 3);
    cells.push_back(text.substr(at, next == std::string::npos ? std::string::npos : next - at));
    at = next;
  }
  return cells;
}

TEST(ReportHtml, CellsAreColouredByOutcomeAndDriftIsMarkedApart) {
  const std::string html = render_report_html(hand_made_matrix(), catalog::builtin_catalog(), "2026-01-01T00:00:00Z",
                                              {}, hand_made_sources());
  const auto fixation = row_cells(html, "session-fixation");
  ASSERT_EQ(fixation.size(), 5u) << html;
  EXPECT_EQ(fixation[2].rfind("<td class=\"cell outcome-exploited\"", 0), 0u) << fixation[2];
  EXPECT_EQ(fixation[4].rfind("<td class=\"cell outcome-blocked\"", 0), 0u) << fixation[4];
  // Stage 2: exploited, so red like stage 1, and marked as drift on top of it.
  EXPECT_EQ(fixation[3].rfind("<td class=\"cell outcome-exploited drift\"", 0), 0u) << fixation[3];
  EXPECT_NE(fixation[3].find("drift-badge"), std::string::npos) << fixation[3];
  EXPECT_EQ(fixation[2].find("drift"), std::string::npos) << fixation[2];
  EXPECT_EQ(fixation[4].find("drift"), std::string::npos) << fixation[4];

  const auto prng = row_cells(html, "recover-prng-seed");
  ASSERT_EQ(prng.size(), 5u) << html;
  EXPECT_EQ(prng[2].rfind("<td class=\"cell outcome-na\"", 0), 0u) << prng[2];

  // The summary counts the drift on its own card.
  EXPECT_NE(html.find("id=\"drift-count\"><b>1</b>drift"), std::string::npos);
  EXPECT_NE(html.find("<b>2</b>exploited"), std::string::npos);
  EXPECT_NE(html.find("<b>1</b>blocked"), std::string::npos);
}

TEST(ReportHtml, NoDriftNoDriftMark) {
  MatrixResult result = hand_made_matrix();
  result.cells.erase(result.cells.begin() + 2);  // the drifting cell
  const std::string html = render_report_html(result, catalog::builtin_catalog(), "2026-01-01T00:00:00Z");
  EXPECT_NE(html.find("<div class=\"card\" id=\"drift-count\"><b>0</b>drift</div>"), std::string::npos);
  EXPECT_EQ(html.find("<td class=\"cell outcome-exploited drift\""), std::string::npos);
}

TEST(ReportHtml, CellsLinkToTheMarkerOfTheWeaknessOrOfTheControl) {
  const std::string html = render_report_html(hand_made_matrix(), catalog::builtin_catalog(), "2026-01-01T00:00:00Z",
                                              {}, hand_made_sources());
  const auto fixation = row_cells(html, "session-fixation");
  ASSERT_EQ(fixation.size(), 5u);
  // Exploited on stage 1: the weakness.
  EXPECT_NE(fixation[2].find("href=\"../stages/stage1_insecure/insecure_sessions.cpp#L74\""), std::string::npos)
      << fixation[2];
  EXPECT_NE(fixation[2].find(">VULN V-025</a>"), std::string::npos) << fixation[2];
  // Blocked on stage 3: the control, in the file the catalog names, not the decoy.
  EXPECT_NE(fixation[4].find("href=\"../stages/stage3_secure/secure_sessions.cpp#L90\""), std::string::npos)
      << fixation[4];
  EXPECT_NE(fixation[4].find(">FIX V-025</a>"), std::string::npos) << fixation[4];
  EXPECT_EQ(html.find("decoy.cpp"), std::string::npos);
  // Exploited where the stage has no weakness to show: the control that should have held.
  EXPECT_NE(fixation[3].find("href=\"../stages/stage2_improved/improved_sessions.cpp#L120\""), std::string::npos)
      << fixation[3];
  // Not applicable: nothing to point at.
  const auto prng = row_cells(html, "recover-prng-seed");
  ASSERT_EQ(prng.size(), 5u);
  EXPECT_EQ(prng[2].find("marker"), std::string::npos) << prng[2];
  // The evidence names file and line, with the code the marker sits on.
  EXPECT_NE(html.find("<code>stages/stage1_insecure/insecure_sessions.cpp:74</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>adopt(id);</code>"), std::string::npos);
}

TEST(ReportHtml, WithoutSourcesTheCellsNameNoCode) {
  const std::string html = render_report_html(hand_made_matrix(), catalog::builtin_catalog(), "2026-01-01T00:00:00Z");
  EXPECT_EQ(html.find("class=\"marker\""), std::string::npos);
  EXPECT_EQ(html.find("#L"), std::string::npos);
}

TEST(CellMarkers, TheCatalogsFileForTheStageDecides) {
  const auto sources = hand_made_sources();
  const auto result = hand_made_matrix();
  const auto& catalog = catalog::builtin_catalog();
  const auto stage3 = markers_of_cell(result.cells[3], catalog, sources.markers);
  ASSERT_EQ(stage3.size(), 1u);
  EXPECT_EQ(stage3[0]->file, "stages/stage3_secure/secure_sessions.cpp");
  EXPECT_EQ(stage3[0]->kind, "FIX");
  // An error where the catalog expects an exploit points at the weakness.
  MatrixCell error = result.cells[1];
  error.outcome = attacks::Outcome::kError;
  const auto stage1 = markers_of_cell(error, catalog, sources.markers);
  ASSERT_EQ(stage1.size(), 1u);
  EXPECT_EQ(stage1[0]->kind, "VULN");
  EXPECT_TRUE(markers_of_cell(result.cells[0], catalog, sources.markers).empty());
}

TEST(CellMarkers, TheReportReachesTheSourcesByARelativePath) {
  EXPECT_EQ(source_root_href("/home/ada/lab/out", "/home/ada/lab"), "../");
  EXPECT_EQ(source_root_href("/home/ada/lab/out/", "/home/ada/lab/."), "../");
  EXPECT_EQ(source_root_href("/tmp/run 1", "/home/ada/lab"), "../../home/ada/lab/");
  EXPECT_EQ(source_root_href("/home/ada/my lab/out", "/home/ada/my lab"), "../");
  EXPECT_EQ(source_root_href("/tmp/a", "/home/my lab"), "../../home/my%20lab/");
  EXPECT_EQ(marker_href({{}, "../"}, catalog::Marker{"FIX", "V-001", "src/a b.cpp", 3}), "../src/a%20b.cpp#L3");
}

DemoSummary hand_made_demo() {
  DemoSummary demo;
  demo.ran_at = "2026-01-01T00:00:00Z";
  demo.seconds = 1.5;
  DemoRun one;
  one.stage = 1;
  one.transport = "tcp";
  one.completed = true;
  one.tasks = one.finished = 4;
  one.startup_seconds = 0.4;
  one.project_seconds = 0.31;
  one.task_results = {{"task_1", "data_analysis", "completed", "worker-data-analysis", "7 lines, 28 words"}};
  one.events = 23;
  one.alerts = {"[notice] privileged-session: ada opened a coordinator session"};
  one.leaked_session_ids = 5;
  one.log_dir = "out/demo/stage1";
  DemoRun three = one;
  three.stage = 3;
  three.transport = "tls";
  three.leaked_session_ids = 0;
  three.audit_chain = "24 entries, hash chain intact";
  three.audit_chain_intact = true;
  demo.runs = {one, three};
  return demo;
}

TEST(ReportHtml, TheDemosProjectRunIsSummarized) {
  const std::string without = render_report_html(hand_made_matrix(), catalog::builtin_catalog(), "now");
  EXPECT_EQ(without.find("id=\"demo\""), std::string::npos);
  const std::string html =
      render_report_html(hand_made_matrix(), catalog::builtin_catalog(), "now", {}, {}, hand_made_demo());
  const auto section = html.find("<h2 id=\"demo\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(section, html.find("<h2>Evidence</h2>"));
  const std::string demo = html.substr(section, html.find("<h2>Evidence</h2>") - section);
  EXPECT_NE(demo.find("2026-01-01T00:00:00Z"), std::string::npos);
  EXPECT_NE(demo.find("stage 1</a></td><td>tcp</td><td class=\"cell outcome-blocked\">4 of 4</td><td>400 ms</td>"
                      "<td>310 ms</td>"),
            std::string::npos)
      << demo;
  EXPECT_NE(demo.find("mutual TLS"), std::string::npos);
  EXPECT_NE(demo.find("5 session ids went out on the open event stream"), std::string::npos);
  EXPECT_NE(demo.find("24 entries, hash chain intact"), std::string::npos);
  EXPECT_NE(demo.find("7 lines, 28 words"), std::string::npos);
}

TEST(ReportHtml, DurationsAreShownAsMeasured) {
  EXPECT_EQ(duration_text(0.022), "22 ms");
  EXPECT_EQ(duration_text(0.9996), "1.00 s");
  EXPECT_EQ(duration_text(1.25), "1.25 s");
  EXPECT_EQ(duration_text(51.04), "51.0 s");
  MatrixResult result = hand_made_matrix();
  result.cells[1].seconds = 0.022;
  const std::string html = render_report_html(result, catalog::builtin_catalog(), "now");
  EXPECT_NE(html.find("<b>12.5 s</b>wall time"), std::string::npos);
  EXPECT_NE(html.find("(expected exploited, 22 ms)"), std::string::npos);
  EXPECT_NE(html.find("(expected blocked, 1.25 s)"), std::string::npos);
  // A cell that did not run has no duration to show.
  EXPECT_NE(html.find("stage 1: <span class=\"outcome outcome-na\">n/a</span> (expected n/a)</summary>"),
            std::string::npos);
  EXPECT_EQ(html.find("0.0 s"), std::string::npos);
}

TEST(DemoSummary, SurvivesItsFile) {
  const DemoSummary demo = hand_made_demo();
  const auto back = DemoSummary::from_json(Json::parse(demo.to_json().dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), demo.to_json());
  EXPECT_FALSE(DemoSummary::from_json(Json::parse("[1,2]")));
  EXPECT_FALSE(DemoSummary::from_json(Json::parse(R"({"runs":[{"stage":"one"}]})")));
}

}  // namespace
}  // namespace lab::runner

// What the generated documents show a reader: stages that are not built are
// planned, never fixed; the control column is the catalog's control; the code
// snippets are the code at the markers; shared-code fixes are linked too.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/docs_generator.h"
#include "catalog/markers.h"
#include "core/domain.h"
#include "core/temporary_directory.h"

namespace lab::catalog {
namespace {

const std::filesystem::path kRoot = LAB_SOURCE_DIR;

std::vector<StageDescription> stages_up_to(int last) {
  const char* names[] = {"insecure", "improved", "secure", "distributed", "web"};
  std::vector<StageDescription> out;
  for (int n = 1; n <= last; ++n) {
    out.push_back({n, names[n - 1], "stages/stage" + std::to_string(n) + "_" + names[n - 1]});
  }
  return out;
}

std::string line_of(const std::string& doc, const std::string& start) {
  const auto at = doc.find("\n" + start);
  if (at == std::string::npos) return {};
  return doc.substr(at + 1, doc.find('\n', at + 1) - at - 1);
}

TEST(GeneratedDocs, AStageThatIsNotBuiltIsShownAsPlannedNeverAsFixed) {
  const auto docs = generate_docs(builtin_catalog(), scan_markers(kRoot), stages_up_to(2));
  const std::string& quick = docs.at("QUICK_REFERENCE.md");
  const std::string& cheat = docs.at("A2A_SESSION_SECURITY_CHEAT_SHEET.md");
  // V-001 is fixed in stage 2 and planned to stay fixed: stages 3-5 are not built in this run.
  EXPECT_EQ(line_of(quick, "| V-001 ").substr(line_of(quick, "| V-001 ").find("| ❌")),
            "| ❌ | ✅ | 🗓️ | 🗓️ | 🗓️ | `no-authentication` |")
      << line_of(quick, "| V-001 ");
  EXPECT_NE(line_of(cheat, "| V-005 ").find("| ❌ | ❌ | 🗓️ | 🗓️ | 🗓️ |"), std::string::npos) << line_of(cheat, "| V-005 ");
  EXPECT_NE(cheat.find("### Stage 3 (planned, not built yet)"), std::string::npos);
  EXPECT_EQ(docs.count("stages/stage3_secure/SECURITY_ANALYSIS.md"), 0u);
  // An entry first fixed in a stage that is not built is not "fixed in" it.
  EXPECT_NE(docs.at("stages/stage2_improved/SECURITY_ANALYSIS.md").find("planned for stage 3 (not built yet)"),
            std::string::npos);
}

TEST(GeneratedDocs, TheCheatSheetsControlColumnIsTheCatalogsControl) {
  const auto& catalog = builtin_catalog();
  const auto docs = generate_docs(catalog, scan_markers(kRoot), stages_up_to(3));
  const std::string& cheat = docs.at("A2A_SESSION_SECURITY_CHEAT_SHEET.md");
  for (const auto& e : catalog.entries) {
    EXPECT_NE(line_of(cheat, "| " + e.id + " " + e.title + " | " + e.control + " |"), "") << e.id;
  }
}

TEST(GeneratedDocs, SnippetsAreTheCodeAtTheMarkers) {
  const auto markers = scan_markers(kRoot);
  const auto docs = generate_docs(builtin_catalog(), markers, stages_up_to(3));
  const std::string& cheat = docs.at("A2A_SESSION_SECURITY_CHEAT_SHEET.md");
  // The fix of V-004 lives in shared code (the binding guard); it is linked and quoted from there.
  const std::string row = line_of(cheat, "| V-004 No session binding | S1 ");
  ASSERT_NE(row, "");
  EXPECT_NE(row.find("(src/coordinator/session_binding_guard.cpp#L"), std::string::npos) << row;
  for (const auto& m : markers) {
    if (m.id != "V-004" || m.file != "src/coordinator/session_binding_guard.cpp") continue;
    ASSERT_FALSE(m.code.empty());
    std::string quoted = m.code.front();
    for (std::size_t at = 0; (at = quoted.find('|', at)) != std::string::npos; at += 2) quoted.insert(at, "\\");
    EXPECT_NE(row.find("`" + quoted + "`"), std::string::npos) << row;
  }
  EXPECT_NE(docs.at("stages/stage3_secure/SECURITY_ANALYSIS.md").find("[`src/coordinator/session_binding_guard.cpp`]"),
            std::string::npos);
}

// data/sample_data/attack_scenarios.json: every attack of the catalog once, with its entries' scenarios, each
// built stage's expectation and the command that runs it; a stage not built is planned.
TEST(GeneratedDocs, AttackScenariosFollowTheCatalog) {
  const auto& catalog = builtin_catalog();
  const auto docs = generate_docs(catalog, {}, stages_up_to(2));
  const Json doc = Json::parse(docs.at("data/sample_data/attack_scenarios.json"));
  ASSERT_EQ(doc.at("scenarios").size(), catalog.attacks.size());
  for (std::size_t i = 0; i < catalog.attacks.size(); ++i) {
    const auto& a = catalog.attacks[i];
    const Json& s = doc["scenarios"][i];
    EXPECT_EQ(s.at("attack"), a.id);
    ASSERT_EQ(s.at("proves").size(), a.proves.size());
    EXPECT_EQ(s["proves"][0].at("scenario"), catalog.find_entry(a.proves[0])->attack_scenario);
    EXPECT_EQ(s.at("expected").at("3"), "planned") << a.id;
    EXPECT_EQ(s.at("expected").at("1"), std::string(to_string(a.expected.at(1))));
    if (a.expected.at(1) != Expected::kNotApplicable) {
      EXPECT_EQ(s.at("run").at(0), "./lab attack " + a.id + " --stage 1");
    }
  }
}

TEST(Markers, CodeIsTheLineTheMarkerEndsOrTheStatementAfterIt) {
  auto made = TemporaryDirectory::create("lab_markers_");
  ASSERT_TRUE(made.ok());
  const TemporaryDirectory& root = *made;
  std::filesystem::create_directories(root.path() / "src");
  std::ofstream(root.path() / "src" / "sample.cpp") << "int a = 1;  // VULN V-001: trailing\n"
                                                     << "// VULN V-002: before a block\n"
                                                     << "// (more words)\n"
                                                     << "do {\n"
                                                     << "  ++a;\n"
                                                     << "} while (a < 3);\n"
                                                     << "  // FIX V-003: over a call\n"
                                                     << "\n"
                                                     << "  call(a,\n"
                                                     << "       b);\n"
                                                     << "  next();\n";
  const auto markers = scan_markers(root.path());
  ASSERT_EQ(markers.size(), 3u);
  EXPECT_EQ(markers[0].code, (std::vector<std::string>{"int a = 1;"}));
  EXPECT_EQ(markers[1].code, (std::vector<std::string>{"do {", "++a;"}));
  EXPECT_EQ(markers[2].code, (std::vector<std::string>{"call(a,", "b);"}));
}

}  // namespace
}  // namespace lab::catalog

// The catalog, the code markers, the attack implementations and the generated
// documents must agree; each test names what a reader would find wrong.
#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "attacks/attack.h"
#include "catalog/catalog.h"
#include "catalog/cvss.h"
#include "catalog/docs_generator.h"
#include "catalog/markers.h"
#include "core/file_io.h"
#include "stage_registry.h"

namespace lab::catalog {
namespace {

const std::filesystem::path kRoot = LAB_SOURCE_DIR;

std::vector<int> implemented() {
  std::vector<int> out;
  for (const auto& s : stages::implemented_stages()) out.push_back(s.number);
  return out;
}

TEST(Cvss, MatchesTheSpecificationsExamples) {
  EXPECT_DOUBLE_EQ(*cvss31_base_score("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
  EXPECT_DOUBLE_EQ(*cvss31_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
  EXPECT_DOUBLE_EQ(*cvss31_base_score("AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N"), 3.8);
  EXPECT_DOUBLE_EQ(*cvss31_base_score("AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
  EXPECT_DOUBLE_EQ(*cvss31_base_score("AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);
  EXPECT_DOUBLE_EQ(*cvss31_base_score("AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N"), 6.4);
  EXPECT_DOUBLE_EQ(*cvss31_base_score("AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  EXPECT_DOUBLE_EQ(cvss_roundup(4.02), 4.1);
  EXPECT_DOUBLE_EQ(cvss_roundup(4.00), 4.0);
  EXPECT_EQ(cvss_severity(9.1), "Critical");
  EXPECT_EQ(cvss_severity(4.3), "Medium");
}

TEST(Cvss, RejectsIncompleteOrMalformedVectors) {
  EXPECT_FALSE(cvss31_base_score("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").ok());
  EXPECT_FALSE(cvss31_base_score("AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").ok());
  EXPECT_FALSE(cvss31_base_score("AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").ok());
  EXPECT_FALSE(cvss31_base_score("garbage").ok());
}

TEST(Catalog, EmbeddedCatalogParsesWithScoresComputedFromVectors) {
  const Catalog& c = builtin_catalog();
  ASSERT_GE(c.entries.size(), 25u);
  for (int i = 1; i <= 25; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "V-%03d", i);
    EXPECT_NE(c.find_entry(id), nullptr) << id << " is missing";
  }
}

TEST(Catalog, ParserRejectsAScoreThatDisagreesWithItsVector) {
  std::string doc = read_file(kRoot / "catalog" / "vulnerabilities.json").value_or("");
  const auto at = doc.find("\"cvss_score\": 9.1");
  ASSERT_NE(at, std::string::npos);
  doc.replace(at, 17, "\"cvss_score\": 9.9");
  const auto parsed = parse_catalog(doc);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("cvss_score"), std::string::npos);
}

TEST(Catalog, EveryCatalogAttackIsImplementedAndViceVersa) {
  const Catalog& c = builtin_catalog();
  for (const auto& a : c.attacks) EXPECT_NE(attacks::find_attack(a.id), nullptr) << a.id << " has no implementation";
  for (const auto* a : attacks::all_attacks()) {
    const AttackSpec* spec = c.find_attack(a->id());
    ASSERT_NE(spec, nullptr) << a->id() << " is implemented but not in the catalog";
    EXPECT_EQ(a->title(), spec->title) << a->id() << ": the implementation and the catalog disagree on the title";
  }
}

TEST(Catalog, NoFixedEntryIsProvenByAnAttackExpectedToSucceedThere) {
  for (const auto& e : builtin_catalog().entries) {
    for (const auto& [stage, st] : e.stages) {
      if (st.status != Status::kFixed) continue;
      for (const auto& a : e.attacks) {
        EXPECT_NE(builtin_catalog().find_attack(a)->expected.at(stage), Expected::kExploited)
            << e.id << " is fixed in stage " << stage << " but " << a << " is expected to exploit it there";
      }
    }
  }
}

// The lab claims no weakness it does not show: where an entry is vulnerable or
// partial, one of its attacks is expected to exploit it at that stage.
TEST(Catalog, EveryVulnerableOrPartialStatusHasAnAttackThatExploitsItThere) {
  for (const auto& e : builtin_catalog().entries) {
    for (const auto& [stage, st] : e.stages) {
      if (st.status != Status::kVulnerable && st.status != Status::kPartial) continue;
      const bool shown = std::any_of(e.attacks.begin(), e.attacks.end(), [&](const std::string& a) {
        return builtin_catalog().find_attack(a)->expected.at(stage) == Expected::kExploited;
      });
      EXPECT_TRUE(shown) << e.id << " is " << to_string(st.status) << " in stage " << stage
                         << " but none of its attacks is expected to exploit it there";
    }
  }
}

// An attack that cannot apply at a stage is not run there, and the catalog
// says why: the stage does not serve what the attack speaks (the line protocol,
// the HTTPS front), or one of the entries it proves is n/a at that stage.
TEST(Catalog, AnAttackIsNotApplicableOnlyWhereWhatItProvesIs) {
  for (const auto& a : builtin_catalog().attacks) {
    for (const auto& [stage, expected] : a.expected) {
      if (expected != Expected::kNotApplicable || !builtin_catalog().reaches(a, stage)) continue;
      const bool reason = std::any_of(a.proves.begin(), a.proves.end(), [&](const std::string& id) {
        return builtin_catalog().find_entry(id)->stages.at(stage).status == Status::kNotApplicable;
      });
      EXPECT_TRUE(reason) << a.id << " is n/a in stage " << stage << " but every entry it proves applies there";
    }
  }
}

// Every built stage serves one surface of the catalog, and some attack speaks it there.
TEST(Catalog, EveryBuiltStageIsReachedBySomeAttack) {
  for (int stage : implemented()) {
    const bool reached = std::any_of(builtin_catalog().attacks.begin(), builtin_catalog().attacks.end(),
                                     [&](const AttackSpec& a) { return builtin_catalog().reaches(a, stage); });
    EXPECT_TRUE(reached) << "no attack of the catalog speaks what stage " << stage << " serves";
  }
}

TEST(Catalog, ParserRefusesAnAttackExpectedToRunWhereItsSurfaceIsNotServed) {
  std::string text = read_file(kRoot / "catalog" / "vulnerabilities.json").value_or("");
  const std::string from = "\"surface\": \"web\"";
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "\"surface\": \"line\"");  // a web attack that says it speaks the line protocol
  const auto parsed = parse_catalog(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("does not serve"), std::string::npos) << parsed.error().message;
}

// A "blocked" at a built stage names its refusal: an enforced control of that
// stage's chain and a wire code (blocking_control_test checks that this control,
// and no other, is the one that refuses). Unbuilt stages claim no refusal.
TEST(Catalog, EveryBlockedCellOfABuiltStageNamesAnEnforcedControlOfThatStage) {
  for (int stage : implemented()) {
    auto inspected = stages::InspectedStage::compose(stage);
    ASSERT_TRUE(inspected.ok()) << inspected.error().message;
    const auto rows = inspected->server().coordinator().guards().rows();
    for (const auto& a : builtin_catalog().attacks) {
      if (a.expected.at(stage) != Expected::kBlocked) continue;
      const auto named = a.blocked_by.find(stage);
      ASSERT_NE(named, a.blocked_by.end()) << a.id << " is expected blocked in stage " << stage
                                           << " but names no control and code (blocked_by)";
      const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.name == named->second.control; });
      ASSERT_NE(row, rows.end()) << a.id << ": stage " << stage << " has no control " << named->second.control;
      EXPECT_EQ(row->mode, coordinator::GuardMode::kEnforce) << a.id << ": " << row->name << " does not enforce";
      for (const auto& overlap : named->second.also) {
        EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.name == overlap; }))
            << a.id << ": stage " << stage << " has no control " << overlap << " (named as an overlap)";
      }
    }
  }
  for (const auto& a : builtin_catalog().attacks) {
    for (const auto& [stage, refusal] : a.blocked_by) {
      EXPECT_NE(stages::find_stage(stage), nullptr) << a.id << " names a refusal for unbuilt stage " << stage;
    }
  }
}

// `lab controls` shows what a stage is made of: every control names catalog
// entries that exist, an enforced control's entries are fixed (or partial) in
// that stage, and a shadow control's are not claimed fixed.
TEST(Controls, EveryControlsCatalogIdsAgreeWithItsModeInEveryImplementedStage) {
  for (int stage : implemented()) {
    auto inspected = stages::InspectedStage::compose(stage);
    ASSERT_TRUE(inspected.ok()) << inspected.error().message;
    const auto rows = inspected->server().coordinator().guards().rows();
    EXPECT_FALSE(rows.empty()) << "stage " << stage << " has no controls at all";
    for (const auto& row : rows) {
      for (const auto& id : row.fixes) {
        const Entry* e = builtin_catalog().find_entry(id);
        ASSERT_NE(e, nullptr) << row.name << " fixes unknown " << id;
        const Status status = e->stages.at(stage).status;
        if (row.mode == coordinator::GuardMode::kEnforce) {
          EXPECT_TRUE(status == Status::kFixed || status == Status::kPartial)
              << "stage " << stage << ": " << row.name << " enforces " << id << " but the catalog says " << to_string(status);
        } else {
          EXPECT_NE(status, Status::kFixed) << "stage " << stage << ": " << row.name << " is " << to_string(row.mode)
                                            << " but the catalog calls " << id << " fixed";
        }
      }
    }
  }
}

TEST(Markers, EveryMarkerNamesACatalogEntry) {
  const auto markers = scan_markers(kRoot);
  ASSERT_FALSE(markers.empty());
  for (const auto& m : markers) {
    EXPECT_NE(builtin_catalog().find_entry(m.id), nullptr) << m.file << ":" << m.line << " names unknown " << m.id;
    EXPECT_FALSE(m.text.empty()) << m.file << ":" << m.line << " gives no reason";
  }
}

TEST(Markers, EachEntryHasTheMarkerItsStatusCallsForInEveryImplementedStage) {
  const auto markers = scan_markers(kRoot);
  for (const auto& e : builtin_catalog().entries) {
    for (int stage : implemented()) {
      const Status status = e.stages.at(stage).status;
      if (status == Status::kNotApplicable) continue;
      const std::string kind = status == Status::kFixed ? "FIX" : "VULN";
      auto file = e.markers.find(stage);
      ASSERT_NE(file, e.markers.end()) << e.id << " names no marker file for stage " << stage;
      const bool found = std::any_of(markers.begin(), markers.end(), [&](const Marker& m) {
        return m.id == e.id && m.kind == kind && m.file == file->second;
      });
      EXPECT_TRUE(found) << e.id << " is " << to_string(status) << " in stage " << stage << " but " << file->second
                         << " has no '// " << kind << " " << e.id << ":' marker";
    }
  }
}

TEST(Markers, AVulnerabilityLivesInExactlyOnePlacePerStage) {
  std::map<std::pair<int, std::string>, std::vector<std::string>> places;
  for (const auto& m : scan_markers(kRoot)) {
    if (m.kind == "VULN") places[{stage_of(m.file), m.id}].push_back(m.file + ":" + std::to_string(m.line));
  }
  for (const auto& [key, where] : places) {
    EXPECT_EQ(where.size(), 1u) << key.second << " is marked in " << where.size() << " places of stage " << key.first
                                << ": " << where.front() << " and " << where.back();
  }
}

// A stage README that counts its flaws counts what the catalog (and so its SECURITY_ANALYSIS) counts.
TEST(StageReadmes, CountTheFlawsTheCatalogCounts) {
  static const std::regex kCount(R"(contains (\d+) session-security flaws)");
  for (const auto& s : stages::implemented_stages()) {
    const auto readme = read_file(kRoot / s.directory() / "README.md").value_or("");
    std::smatch m;
    if (!std::regex_search(readme, m, kCount)) continue;
    int weak = 0;
    for (const auto& e : builtin_catalog().entries) {
      const auto status = e.stages.at(s.number).status;
      weak += status == Status::kVulnerable || status == Status::kPartial;
    }
    EXPECT_EQ(std::stoi(m[1]), weak) << s.directory() << "/README.md";
  }
}

TEST(GeneratedDocs, AreUpToDateWithTheCatalogAndTheMarkers) {
  std::vector<StageDescription> stages;
  for (const auto& s : stages::implemented_stages()) {
    stages.push_back({s.number, s.name, s.directory()});
  }
  for (const auto& [path, content] : generate_docs(builtin_catalog(), scan_markers(kRoot), stages)) {
    EXPECT_EQ(read_file(kRoot / path).value_or(""), content) << path << " is out of date: run ./lab docs";
  }
}

}  // namespace
}  // namespace lab::catalog

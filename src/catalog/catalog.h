// The catalog: every vulnerability and every attack of the lab as data
// (catalog/vulnerabilities.json). Docs, markers and the attack x stage
// matrix are all checked against it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace lab::catalog {

inline constexpr int kStageCount = 5;

enum class Status { kVulnerable, kPartial, kFixed, kNotApplicable };
std::string_view to_string(Status status);

enum class Expected { kExploited, kBlocked, kNotApplicable };
std::string_view to_string(Expected expected);

struct StageStatus {
  Status status = Status::kNotApplicable;
  std::string why;
};

struct Entry {
  std::string id;  // "V-001"
  std::string title;
  std::string category;
  std::vector<int> cwe;
  std::string cvss_vector;
  double cvss_score = 0;
  std::vector<std::string> asvs;
  std::string summary;
  std::string attack_scenario;
  std::string business_impact;
  std::string mitigation;
  std::string control;  // the control that fixes it, named in a few words (the cheat sheet's column)
  std::map<int, StageStatus> stages;         // stage number -> status
  std::vector<std::string> attacks;          // attack ids proving it
  std::map<int, std::string> markers;        // stage number -> file holding its VULN/FIX marker
};

// The refusal a "blocked" verdict must come from: the control of the stage's
// chain (as `lab controls` names it) and the wire error code it answers with.
struct ExpectedRefusal {
  std::string control;  // "signed-session"
  // "SIGNATURE_INVALID"; empty where the control works without answering (it closes a connection, keeps
  // bytes unreadable, refuses to start on tampered state): `lab matrix --ablation` proves those.
  std::string code;
  // Controls that refuse part of the same attack too (an overlap, shown rather than hidden): e.g. a second
  // rate limit that also fills up, or the session check that finds a session the named control ended.
  std::vector<std::string> also;
  // The control and its overlaps are one defence in layers, each enough alone (CSRF: the Origin check, the token,
  // SameSite cookies): `lab matrix --ablation` also switches them off together, where the attack must succeed.
  bool layered = false;
};

// Where a stage meets its agents: the line protocol (stages 1-4) or the HTTPS front (stage 5). An attack speaks
// one of them and is "n/a" wherever the stage does not serve it.
struct Surface {
  std::string id;           // "line", "web"
  std::string name;         // for a sentence: "the HTTPS dashboard and its API"
  std::vector<int> stages;  // the stages that serve it
};

struct AttackSpec {
  std::string id;  // "predict-session-id"
  std::string title;
  std::string surface = "line";
  std::vector<std::string> proves;           // entry ids
  std::map<int, Expected> expected;          // stage number -> expected outcome
  std::map<int, ExpectedRefusal> blocked_by; // stage number -> the refusal (built stages that block it)
  std::string evidence_rule;
};

struct Catalog {
  std::vector<Entry> entries;
  std::vector<AttackSpec> attacks;
  std::vector<Surface> surfaces;

  const Surface* find_surface(std::string_view id) const;
  // Whether `stage` serves what `attack` speaks.
  bool reaches(const AttackSpec& attack, int stage) const;

  const Entry* find_entry(std::string_view id) const;
  const AttackSpec* find_attack(std::string_view id) const;
};

// Parses and checks the catalog's internal consistency (ids, links, scores).
Result<Catalog> parse_catalog(std::string_view json_text);

// The catalog embedded at build time (catalog/vulnerabilities.json).
const Catalog& builtin_catalog();

}  // namespace lab::catalog

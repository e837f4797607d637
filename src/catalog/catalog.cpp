#include "catalog/catalog.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "catalog/cvss.h"
#include "core/enum_names.h"
#include "embedded/embedded_files.h"

namespace lab::catalog {
namespace {

using Json = nlohmann::json;

constexpr NameTable<Status, 4> kStatuses{{
    {Status::kVulnerable, "vulnerable"},
    {Status::kPartial, "partial"},
    {Status::kFixed, "fixed"},
    {Status::kNotApplicable, "n/a"},
}};

constexpr NameTable<Expected, 3> kExpectations{{
    {Expected::kExploited, "exploited"},
    {Expected::kBlocked, "blocked"},
    {Expected::kNotApplicable, "n/a"},
}};

Status parse_status(const std::string& s) {
  if (auto v = value_of(kStatuses, s)) return *v;
  throw std::invalid_argument("unknown status '" + s + "'");
}

Expected parse_expected(const std::string& s) {
  if (auto v = value_of(kExpectations, s)) return *v;
  throw std::invalid_argument("unknown expected outcome '" + s + "'");
}

Entry parse_entry(const Json& j) {
  Entry e;
  e.id = j.at("id").get<std::string>();
  e.title = j.at("title").get<std::string>();
  e.category = j.at("category").get<std::string>();
  e.cwe = j.at("cwe").get<std::vector<int>>();
  e.cvss_vector = j.at("cvss_vector").get<std::string>();
  e.cvss_score = j.at("cvss_score").get<double>();
  e.asvs = j.value("asvs", std::vector<std::string>{});
  e.summary = j.at("summary").get<std::string>();
  e.attack_scenario = j.at("attack_scenario").get<std::string>();
  e.business_impact = j.at("business_impact").get<std::string>();
  e.mitigation = j.at("mitigation").get<std::string>();
  e.control = j.at("control").get<std::string>();
  if (e.control.empty()) throw std::invalid_argument(e.id + ": control is empty");
  for (const auto& [stage, s] : j.at("stages").items()) {
    e.stages[std::stoi(stage)] = StageStatus{parse_status(s.at("status").get<std::string>()), s.at("why").get<std::string>()};
  }
  e.attacks = j.at("attacks").get<std::vector<std::string>>();
  const Json markers = j.value("markers", Json::object());
  for (const auto& [stage, file] : markers.items()) {
    e.markers[std::stoi(stage)] = file.get<std::string>();
  }
  return e;
}

AttackSpec parse_attack(const Json& j) {
  AttackSpec a;
  a.id = j.at("id").get<std::string>();
  a.title = j.at("title").get<std::string>();
  a.surface = j.value("surface", std::string("line"));
  a.proves = j.at("proves").get<std::vector<std::string>>();
  for (const auto& [stage, v] : j.at("expected").items()) a.expected[std::stoi(stage)] = parse_expected(v.get<std::string>());
  if (auto it = j.find("blocked_by"); it != j.end()) {
    for (const auto& [stage, v] : it->items()) {
      a.blocked_by[std::stoi(stage)] = ExpectedRefusal{v.at("control").get<std::string>(), v.value("code", std::string{}),
                                               v.value("also", std::vector<std::string>{}), v.value("layered", false)};
    }
  }
  a.evidence_rule = j.at("evidence_rule").get<std::string>();
  return a;
}

lab::Status check(const Catalog& c) {
  std::set<std::string> ids;
  for (const auto& e : c.entries) {
    if (!ids.insert(e.id).second) return Error{ErrorCode::kInvalidField, "duplicate entry " + e.id};
    auto score = cvss31_base_score(e.cvss_vector);
    if (!score) return Error{ErrorCode::kInvalidField, e.id + ": " + score.error().message};
    if (std::abs(*score - e.cvss_score) > 1e-9) {
      return Error{ErrorCode::kInvalidField, e.id + ": cvss_score " + std::to_string(e.cvss_score) +
                                                 " but the vector scores " + std::to_string(*score)};
    }
    if (e.attacks.empty()) return Error{ErrorCode::kInvalidField, e.id + " has no attack proving it"};
    for (int s = 1; s <= kStageCount; ++s) {
      if (!e.stages.contains(s)) return Error{ErrorCode::kInvalidField, e.id + " has no status for stage " + std::to_string(s)};
    }
    for (const auto& a : e.attacks) {
      const AttackSpec* spec = c.find_attack(a);
      if (!spec) return Error{ErrorCode::kInvalidField, e.id + " names unknown attack " + a};
      if (std::find(spec->proves.begin(), spec->proves.end(), e.id) == spec->proves.end()) {
        return Error{ErrorCode::kInvalidField, "attack " + a + " does not list " + e.id + " in proves"};
      }
    }
  }
  for (const auto& a : c.attacks) {
    for (const auto& id : a.proves) {
      if (!c.find_entry(id)) return Error{ErrorCode::kInvalidField, "attack " + a.id + " proves unknown " + id};
    }
    if (!c.find_surface(a.surface)) return Error{ErrorCode::kInvalidField, a.id + " speaks unknown surface " + a.surface};
    for (int s = 1; s <= kStageCount; ++s) {
      if (!a.expected.contains(s)) return Error{ErrorCode::kInvalidField, a.id + " has no expectation for stage " + std::to_string(s)};
      if (!c.reaches(a, s) && a.expected.at(s) != Expected::kNotApplicable) {
        return Error{ErrorCode::kInvalidField, a.id + " speaks " + a.surface + ", which stage " + std::to_string(s) +
                                                   " does not serve, yet is expected to run there"};
      }
    }
    for (const auto& [s, refusal] : a.blocked_by) {
      if (a.expected.at(s) != Expected::kBlocked) {
        return Error{ErrorCode::kInvalidField, a.id + " names a blocking control for stage " + std::to_string(s) +
                                                   ", where it is not expected to be blocked"};
      }
      if (!refusal.code.empty() && !error_code_from_string(refusal.code)) {
        return Error{ErrorCode::kInvalidField, a.id + ": unknown error code " + refusal.code};
      }
    }
  }
  return ok_status();
}

}  // namespace

std::string_view to_string(Status status) { return name_of(kStatuses, status, "n/a"); }

std::string_view to_string(Expected expected) { return name_of(kExpectations, expected, "n/a"); }

const Entry* Catalog::find_entry(std::string_view id) const {
  for (const auto& e : entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const Surface* Catalog::find_surface(std::string_view id) const {
  for (const auto& s : surfaces) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

bool Catalog::reaches(const AttackSpec& attack, int stage) const {
  const Surface* s = find_surface(attack.surface);
  return s && std::find(s->stages.begin(), s->stages.end(), stage) != s->stages.end();
}

const AttackSpec* Catalog::find_attack(std::string_view id) const {
  for (const auto& a : attacks) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

Result<Catalog> parse_catalog(std::string_view json_text) {
  const Json doc = Json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return Error{ErrorCode::kMalformedJson, "the catalog is not valid JSON"};
  Catalog c;
  try {
    if (doc.at("schema").get<int>() != 1) return Error{ErrorCode::kInvalidField, "unsupported catalog schema"};
    for (const auto& j : doc.at("entries")) c.entries.push_back(parse_entry(j));
    for (const auto& j : doc.at("attacks")) c.attacks.push_back(parse_attack(j));
    for (const auto& [id, j] : doc.at("surfaces").items()) {
      c.surfaces.push_back(Surface{id, j.at("name").get<std::string>(), j.at("stages").get<std::vector<int>>()});
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInvalidField, std::string("catalog: ") + e.what()};
  }
  if (auto s = check(c); !s) return s.error();
  return c;
}

const Catalog& builtin_catalog() {
  static const Catalog catalog = [] {
    auto parsed = parse_catalog(embedded::file("catalog/vulnerabilities.json").value_or(""));
    if (!parsed) throw std::runtime_error("embedded catalog: " + parsed.error().message);
    return std::move(parsed).value();
  }();
  return catalog;
}

}  // namespace lab::catalog

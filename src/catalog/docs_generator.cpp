#include "catalog/docs_generator.h"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <sstream>

#include "catalog/cvss.h"
#include "catalog/security_rating.h"
#include "core/domain.h"

namespace lab::catalog {
namespace {

constexpr const char* kGeneratedNote =
    "> Generated from `catalog/vulnerabilities.json` and the code's `VULN`/`FIX` markers by `./lab docs`.\n"
    "> Edit the catalog or the code, then run `./lab docs`; a test fails when this file is out of date.\n";

// A figure with one decimal: a CVSS score, a rating.
std::string one_decimal(double v) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << v;
  return o.str();
}

std::string cwe_links(const Entry& e) {
  std::string out;
  for (int c : e.cwe) {
    if (!out.empty()) out += ", ";
    out += "[CWE-" + std::to_string(c) + "](https://cwe.mitre.org/data/definitions/" + std::to_string(c) + ".html)";
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep, const std::string& wrap = "") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + wrap + i + wrap;
  return out;
}

const Marker* marker_for(const std::vector<Marker>& markers, const Entry& e, int stage) {
  auto file = e.markers.find(stage);
  for (const auto& m : markers) {
    if (m.id == e.id && file != e.markers.end() && m.file == file->second &&
        (stage_of(m.file) == stage || stage_of(m.file) == 0)) {
      const bool wants_fix = e.stages.at(stage).status == Status::kFixed;
      if ((m.kind == "FIX") == wants_fix) return &m;
    }
  }
  return nullptr;
}

// GitHub's anchor of a "### <id> <title>" heading.
std::string anchor(const Entry& e) {
  std::string out;
  for (char ch : e.id + " " + e.title) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
    else if (ch == ' ' || ch == '-') out.push_back('-');
  }
  return out;
}

bool built(const std::vector<StageDescription>& stages, int number) {
  for (const auto& s : stages) {
    if (s.number == number) return true;
  }
  return false;
}

// The first stage whose plan fixes the entry (built or not), 0 if none.
int fixed_in(const Entry& e) {
  for (const auto& [stage, st] : e.stages) {
    if (st.status == Status::kFixed) return stage;
  }
  return 0;
}

std::string fixed_in_text(const Entry& e, const std::vector<StageDescription>& stages) {
  const int f = fixed_in(e);
  if (f == 0) return "not yet";
  return built(stages, f) ? "stage " + std::to_string(f) : "planned for stage " + std::to_string(f) + " (not built yet)";
}

constexpr const char* kPlanned = "🗓️";

constexpr const char* kRatingFormula =
    "rating = 10 × (1 − Σ weight × open ÷ Σ weight) over the catalog entries that apply to the stage, where weight is "
    "the entry's CVSS 3.1 base score and open is 1 for ❌ vulnerable, ½ for ⚠️ partial and 0 for ✅ fixed; a domain's "
    "rating is the same over its entries. It measures the catalog only: 10 means every weakness the catalog lists is "
    "closed, each proven by its attacks, and says nothing of weaknesses it does not list.";

// A stage's column: what the stage does about the entry, or "planned" for a stage that is not built yet (the
// catalog holds its design; nothing has proven it).
std::string glyph(const Entry& e, int stage, const std::vector<StageDescription>& stages) {
  if (!built(stages, stage)) return kPlanned;
  const auto s = e.stages.at(stage).status;
  return s == Status::kVulnerable ? "❌" : s == Status::kPartial ? "⚠️" : s == Status::kFixed ? "✅" : "–";
}

std::string stage_list(const std::vector<StageDescription>& stages) {
  std::string out;
  for (const auto& s : stages) out += (out.empty() ? "S" : ", S") + std::to_string(s.number);
  return out;
}

std::string status_cell(Status s) {
  switch (s) {
    case Status::kVulnerable: return "❌ vulnerable";
    case Status::kPartial: return "⚠️ partial";
    case Status::kFixed: return "✅ fixed";
    case Status::kNotApplicable: return "– n/a";
  }
  return "";
}

void entry_section(std::ostringstream& o, const Catalog& c, const std::vector<Marker>& markers, const Entry& e,
                   const StageDescription& stage, const std::vector<StageDescription>& stages, const std::string& up) {
  const auto& st = e.stages.at(stage.number);
  if (st.status == Status::kNotApplicable) {
    // Nothing of it exists here: no scenario or proof that belongs to another stage, only where it does apply.
    std::vector<std::string> applies;
    for (const auto& [n, other] : e.stages) {
      if (other.status == Status::kVulnerable || other.status == Status::kPartial) {
        applies.push_back("stage " + std::to_string(n) + (built(stages, n) ? "" : " (planned)") + " (" +
                          (other.status == Status::kPartial ? "partial" : "vulnerable") + ")");
      }
    }
    o << "### " << e.id << " " << e.title << "\n\n"
      << "- **Status in stage " << stage.number << ":** " << status_cell(st.status) << " — " << st.why << "\n"
      << "- **Where it applies:** " << (applies.empty() ? std::string("nowhere yet") : join(applies, ", "))
      << "; its analysis, attack scenario and proof are there.\n\n";
    return;
  }
  o << "### " << e.id << " " << e.title << "\n\n"
    << "- **Status in stage " << stage.number << ":** " << status_cell(st.status) << " — " << st.why << "\n"
    << "- **Category:** " << e.category << "\n"
    << "- **CWE:** " << cwe_links(e) << "\n"
    << "- **CVSS 3.1:** `CVSS:3.1/" << e.cvss_vector << "` → **" << one_decimal(e.cvss_score) << " ("
    << cvss_severity(e.cvss_score) << ")**\n";
  if (!e.asvs.empty()) o << "- **ASVS 5.0:** " << join(e.asvs, ", ") << "\n";
  if (const Marker* m = marker_for(markers, e, stage.number)) {
    o << "- **Code:** [`" << m->file << "`](" << up << m->file << ") — `" << m->kind << " " << e.id << ": " << m->text
      << "`\n";
  }
  o << "- **Fixed in:** " << fixed_in_text(e, stages) << "\n\n"
    << "**What.** " << e.summary << "\n\n"
    << "**Attack scenario.** " << e.attack_scenario << "\n\n"
    << "**Business impact.** " << e.business_impact << "\n\n"
    << "**Mitigation.** " << e.mitigation << "\n\n"
    << "**Proof.** ";
  for (const auto& a : e.attacks) {
    const AttackSpec* spec = c.find_attack(a);
    if (spec && spec->expected.at(stage.number) == Expected::kNotApplicable) {
      const Surface* spoken = c.find_surface(spec->surface);
      o << "`" << a << "` is not run against this stage ("
        << (c.reaches(*spec, stage.number) ? std::string("nothing here for it to attack")
                                           : "it speaks " + (spoken ? spoken->name : spec->surface) +
                                                 ", which this stage does not serve")
        << "). ";
      continue;
    }
    o << "`./lab attack " << a << " --stage " << stage.number << "` (expected: "
      << (spec ? to_string(spec->expected.at(stage.number)) : "?") << ")" << (spec ? " — " + spec->evidence_rule : "")
      << " ";
  }
  o << "\n\n";
}

// The attacks that prove `e` at `stage`; where none runs there (they speak another surface), the newest other stage
// where one of them is expected blocked, so the reader sees what is proven here and what is only claimed.
std::string proof_cell(const Catalog& c, const Entry& e, int stage) {
  std::vector<std::string> here;
  int elsewhere = 0;
  for (const auto& a : e.attacks) {
    const AttackSpec* spec = c.find_attack(a);
    if (!spec) continue;
    if (spec->expected.at(stage) != Expected::kNotApplicable) {
      here.push_back(a);
      continue;
    }
    for (const auto& [s, x] : spec->expected) {
      if (s != stage && x == Expected::kBlocked) elsewhere = std::max(elsewhere, s);
    }
  }
  if (!here.empty()) return join(here, ", ", "`");
  if (e.stages.at(stage).status == Status::kNotApplicable) return "–";
  return elsewhere == 0 ? std::string("not run here")
                        : "not run here: its attacks speak what stage " + std::to_string(elsewhere) +
                              " serves, where they are blocked";
}

std::string security_analysis(const Catalog& c, const std::vector<Marker>& markers, const StageDescription& stage,
                              const std::vector<StageDescription>& stages) {
  std::ostringstream o;
  const std::string up = "../../";
  o << "# Stage " << stage.number << " (" << stage.name << ") — security analysis\n\n" << kGeneratedNote << "\n";
  int vulnerable = 0, partial = 0, fixed = 0;
  for (const auto& e : c.entries) {
    const auto s = e.stages.at(stage.number).status;
    vulnerable += s == Status::kVulnerable;
    partial += s == Status::kPartial;
    fixed += s == Status::kFixed;
  }
  o << "Of the catalog's " << c.entries.size() << " entries, stage " << stage.number << " is **vulnerable to " << vulnerable
    << "**, **partially protected against " << partial << "** and **fixes " << fixed
    << "**. A row is proven by the attacks that run against the real server: `./lab matrix --stages " << stage.number
    << "`; where none of its attacks speaks what this stage serves, the row says so and names the stage where they "
       "run: there the fix is proven, here it is the stage's claim.\n\n";
  if (const auto rating = rate_stage(c, stage.number)) {
    o << "**Security rating: " << one_decimal(rating->overall) << "/10** (the original plan: "
      << planned_rating(stage.number) << "/10). By domain:";
    bool first = true;
    for (const auto& [category, value] : rating->by_category) {
      o << (first ? " " : ", ") << category << " " << one_decimal(value);
      first = false;
    }
    o << ". Computed from the catalog (see QUICK_REFERENCE.md): " << kRatingFormula << "\n\n";
  }
  o << "| id | vulnerability | CWE | CVSS 3.1 | status in stage " << stage.number << " | fixed in | proven by |\n"
    << "|---|---|---|---|---|---|---|\n";
  for (const auto& e : c.entries) {
    const auto& st = e.stages.at(stage.number);
    const int f = fixed_in(e);
    const std::string fixed_column = f == 0 ? "–" : built(stages, f) ? std::to_string(f) : std::to_string(f) + " (planned)";
    o << "| [" << e.id << "](#" << anchor(e) << ") | " << e.title << " | "
      << join([&] {
           std::vector<std::string> v;
           for (int x : e.cwe) v.push_back("CWE-" + std::to_string(x));
           return v;
         }(),
              ", ")
      << " | " << one_decimal(e.cvss_score) << " " << cvss_severity(e.cvss_score) << " | " << status_cell(st.status) << " | "
      << fixed_column << " | " << proof_cell(c, e, stage.number) << " |\n";
  }
  const auto section = [&](const char* title, auto pred) {
    bool any = false;
    for (const auto& e : c.entries) {
      if (!pred(e.stages.at(stage.number).status)) continue;
      if (!any) o << "\n## " << title << "\n\n";
      any = true;
      entry_section(o, c, markers, e, stage, stages, up);
    }
  };
  section("Remaining vulnerabilities", [](Status s) { return s == Status::kVulnerable; });
  section("Partially fixed", [](Status s) { return s == Status::kPartial; });
  section("Fixed in this stage or earlier", [](Status s) { return s == Status::kFixed; });
  section("Not applicable here", [](Status s) { return s == Status::kNotApplicable; });
  return o.str();
}

// Each stage's rating beside the original plan's, with the per-domain figures; planned stages are not rated.
void security_ratings(std::ostringstream& o, const Catalog& c, const std::vector<StageDescription>& stages) {
  std::vector<std::string> categories;
  for (const auto& e : c.entries) {
    if (std::find(categories.begin(), categories.end(), e.category) == categories.end()) categories.push_back(e.category);
  }
  std::sort(categories.begin(), categories.end());
  o << "## Security ratings\n\n" << kRatingFormula << "\n\n| stage | rating | the plan's |";
  for (const auto& cat : categories) o << " " << cat << " |";
  o << "\n|---|---|---|";
  for (std::size_t i = 0; i < categories.size(); ++i) o << "---|";
  o << "\n";
  for (int s = 1; s <= kStageCount; ++s) {
    o << "| " << s << " | ";
    const auto rating = built(stages, s) ? rate_stage(c, s) : std::nullopt;
    if (!rating) {
      o << kPlanned << " planned | " << planned_rating(s) << "/10 |";
      for (std::size_t i = 0; i < categories.size(); ++i) o << " |";
      o << "\n";
      continue;
    }
    o << "**" << one_decimal(rating->overall) << "/10** | " << planned_rating(s) << "/10 |";
    for (const auto& cat : categories) {
      const auto it = rating->by_category.find(cat);
      o << " " << (it == rating->by_category.end() ? std::string("–") : one_decimal(it->second)) << " |";
    }
    o << "\n";
  }
  o << "\n";
}

std::string quick_reference(const Catalog& c, const std::vector<StageDescription>& stages) {
  std::ostringstream o;
  o << "# Quick reference\n\n" << kGeneratedNote << "\n## Commands\n\n"
    << "| command | what it does |\n|---|---|\n"
    << "| `./lab demo` | installs what is missing, builds, runs a project through agent processes, then every attack against every stage; writes `out/report.html` and `out/matrix.json` |\n"
    << "| `./lab test` | the same set-up, then every test under ASan+UBSan, the lab binary's own tests (the matrix "
       "and its ablation, the demo, the benches) in the release build, the concurrency tests under ThreadSanitizer |\n"
    << "| `./lab serve --stage N` | a stage's coordinator on 127.0.0.1 |\n"
    << "| `./lab worker --stage N --id W --specialty S` | a worker agent |\n"
    << "| `./lab auditor --stage N` | the audit agent (JSON-lines log, alerts) |\n"
    << "| `./lab client --stage N [--script FILE]` | the interactive menu with attack demos |\n"
    << "| `./lab attack NAME --stage N [--json]` | one attack against a fresh stage |\n"
    << "| `./lab matrix [--stages 1,2] [--json] [--report] [--ablation]` | every attack against every stage; "
       "`--ablation`: each control of stages 3 and 4 switched off alone |\n"
    << "| `./lab bench [hot-path\\|memory\\|stage3\\|stage4]` | server CPU per request, requests/s and memory, with "
       "ratios to redis-server and between stages; `stage3`: signatures, session validation, durable writes, logins; "
       "`stage4`: through the balancer against `redis-benchmark` and stage 3, Redis calls per request |\n"
    << "| `./lab ca init` | stage 3's CA: a certificate per agent, the server's, the state sealing key |\n"
    << "| `./lab audit verify FILE` | checks a hash-chained audit log; names the first edited line |\n"
    << "| `./lab backup --stage 3` | an admin's online, verified backup of the running stage's sealed state |\n"
    << "| `./lab restore FILE [--verify-only]` | stage 3 stopped: verify a backup and put it in place |\n"
    << "| `./lab controls --stage N [--json]` | the stage's security controls in the order requests pass them |\n"
    << "| `./lab docs [--check]` | regenerate (or check) the generated documents |\n\n"
    << "## File navigation\n\n"
    << "| where | what |\n|---|---|\n"
    << "| `catalog/vulnerabilities.json` | every vulnerability and attack as data (source of this file) |\n"
    << "| `src/core/` | domain, task board, framing, envelope, error codes |\n"
    << "| `src/net/` | Asio coroutine server, blocking client, load driver |\n"
    << "| `src/coordinator/` | the transport-neutral coordinator: operation table, guard chain, policies, events, "
       "the TCP front |\n"
    << "| `src/security/` | digests, HMAC, 256-bit keys, ECDSA, the lab CA, request signatures, Argon2id, "
       "bcrypt, sealed records, nonces, rate limits, lockout, audit chain |\n"
    << "| `src/store/` | the stores behind interfaces; state files, stage 3's sealed journal |\n"
    << "| `src/client/` | how each stage's clients log in and sign (one profile per stage) |\n"
    << "| `src/agents/` | worker, auditor, interactive client |\n"
    << "| `src/attacks/` | one file per attack |\n"
    << "| `src/runner/`, `src/catalog/` | matrix, report, stage processes; catalog, CVSS, markers, these docs |\n";
  for (const auto& s : stages) {
    o << "| `" << s.directory << "/` | stage " << s.number << " (" << s.name << "): composition, README, SECURITY_ANALYSIS |\n";
  }
  o << "| `docs/` | PROTOCOL (wire format), ARCHITECTURE |\n\n";
  security_ratings(o, c, stages);
  o << "## Vulnerability index\n\n"
    << "✅ fixed, ⚠️ partial, ❌ vulnerable, – not applicable, each proven by the attacks named; " << kPlanned
    << " a planned stage that is not built yet (built: " << stage_list(stages) << ").\n\n"
    << "| id | title | category | CVSS |";
  for (int s = 1; s <= kStageCount; ++s) o << " S" << s << " |";
  o << " attacks |\n|---|---|---|---|";
  for (int s = 1; s <= kStageCount; ++s) o << "---|";
  o << "---|\n";
  for (const auto& e : c.entries) {
    o << "| " << e.id << " | " << e.title << " | " << e.category << " | " << one_decimal(e.cvss_score) << " |";
    for (int s = 1; s <= kStageCount; ++s) o << " " << glyph(e, s, stages) << " |";
    o << " " << join(e.attacks, ", ", "`") << " |\n";
  }
  o << "\n## Attack index\n\nE exploited, B blocked, – not run there: what the catalog expects of each built stage "
    << "(" << stage_list(stages) << "), and `./lab matrix` checks every one of those cells; " << kPlanned
    << " a planned stage, not built yet, so nothing is run against it.\n\n| attack | proves |";
  for (int s = 1; s <= kStageCount; ++s) o << " S" << s << " |";
  o << "\n|---|---|";
  for (int s = 1; s <= kStageCount; ++s) o << "---|";
  o << "\n";
  for (const auto& a : c.attacks) {
    o << "| `" << a.id << "` " << a.title << " | " << join(a.proves, ", ") << " |";
    for (int s = 1; s <= kStageCount; ++s) {
      const auto x = a.expected.at(s);
      o << " " << (!built(stages, s) ? kPlanned : x == Expected::kExploited ? "E" : x == Expected::kBlocked ? "B" : "–")
        << " |";
    }
    o << "\n";
  }
  return o.str();
}

// A code span inside a table cell: a pipe would end the cell, a backtick the span.
std::string code_span(const std::string& code) {
  std::string text;
  for (char ch : code) {
    if (ch == '|') text += "\\|";
    else text.push_back(ch);
  }
  const std::string fence = text.find('`') == std::string::npos ? "`" : "``";
  return fence + (fence.size() > 1 ? " " : "") + text + (fence.size() > 1 ? " " : "") + fence;
}

// The code a marker sits on, line by line, and where it is.
std::string snippet_cell(const Marker* m, int stage) {
  if (m == nullptr) return "–";
  std::string cell = "S" + std::to_string(stage) + " [`" + m->file.substr(m->file.rfind('/') + 1) + ":" +
                     std::to_string(m->line) + "`](" + m->file + "#L" + std::to_string(m->line) + ")";
  for (const auto& line : m->code) cell += "<br>" + code_span(line);
  return cell;
}

// The weak code of the earliest built stage that has it, and the fixing code of the first built stage that fixes it.
void snippets(std::ostringstream& o, const Catalog& c, const std::vector<Marker>& markers,
              const std::vector<StageDescription>& stages) {
  o << "## The weak line and the fixing line\n\nTaken from the code at its `VULN` and `FIX` markers when `./lab docs` "
       "runs, so they cannot drift from it: the statement each marker sits on, in the earliest built stage that is "
       "weak (❌ or ⚠️) and the first built stage that fixes it.\n\n| weakness | weak | fixed |\n|---|---|---|\n";
  for (const auto& e : c.entries) {
    const Marker* weak = nullptr;
    const Marker* fix = nullptr;
    int weak_stage = 0, fix_stage = 0;
    for (const auto& s : stages) {
      const auto status = e.stages.at(s.number).status;
      const Marker* m = marker_for(markers, e, s.number);
      if (!weak && (status == Status::kVulnerable || status == Status::kPartial) && m) {
        weak = m;
        weak_stage = s.number;
      }
      if (!fix && status == Status::kFixed && m) {
        fix = m;
        fix_stage = s.number;
      }
    }
    o << "| " << e.id << " " << e.title << " | " << snippet_cell(weak, weak_stage) << " | "
      << snippet_cell(fix, fix_stage) << " |\n";
  }
  o << "\n";
}

// Each control of the newest built stage, with the attacks it is the one to refuse there and what it answers.
void prevention_patterns(std::ostringstream& o, const Catalog& c, const std::vector<StageDescription>& stages) {
  if (stages.empty()) return;
  // Each attack at the newest built stage that blocks it: stage 4 for the line protocol, stage 5 for the web.
  std::map<std::string, std::vector<std::pair<const AttackSpec*, int>>> by_control;
  for (const auto& a : c.attacks) {
    for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
      const auto refusal = a.blocked_by.find(it->number);
      if (refusal == a.blocked_by.end()) continue;
      by_control["`" + refusal->second.control + "` (stage " + std::to_string(it->number) + ")"].emplace_back(&a,
                                                                                                      it->number);
      break;
    }
  }
  o << "## Attack-prevention patterns\n\nWhich control of the newest stage an attack runs against"
    << " refuses it, and how the refusal shows (the wire code, or what the control does instead of "
       "answering). From the catalog's `blocked_by`, which `./lab matrix` checks against the guard chain's own "
       "counters; `./lab matrix --ablation` switches each control off alone to show the attack it stops.\n\n"
       "| control | refuses | shows as |\n|---|---|---|\n";
  for (const auto& [control, attacks] : by_control) {
    std::vector<std::string> names, codes;
    for (const auto& [a, at] : attacks) {
      names.push_back("`" + a->id + "` (" + join(a->proves, ", ") + ")");
      const std::string& code = a->blocked_by.at(at).code;
      const std::string shown = code.empty() ? "no answer: the control acts without one" : "`" + code + "`";
      if (std::find(codes.begin(), codes.end(), shown) == codes.end()) codes.push_back(shown);
    }
    o << "| " << control << " | " << join(names, ", ") << " | " << join(codes, ", ") << " |\n";
  }
  o << "\n";
}

std::string cheat_sheet(const Catalog& c, const std::vector<Marker>& markers,
                        const std::vector<StageDescription>& stages) {
  std::ostringstream o;
  o << "# A2A session security cheat sheet\n\n" << kGeneratedNote
    << "\nOne row per weakness, one column per stage: what each stage does about it. ✅ fixed, ⚠️ partial, ❌ "
       "vulnerable, – not applicable, each proven by an attack against the running stage; "
    << kPlanned << " a planned stage, not built yet (built: " << stage_list(stages)
    << "). The control is the one that fixes the weakness; the reason per stage is the catalog's `why`.\n\n"
       "| weakness | control |";
  for (int s = 1; s <= kStageCount; ++s) o << " S" << s << " |";
  o << "\n|---|---|";
  for (int s = 1; s <= kStageCount; ++s) o << "---|";
  o << "\n";
  for (const auto& e : c.entries) {
    o << "| " << e.id << " " << e.title << " | " << e.control << " |";
    for (int s = 1; s <= kStageCount; ++s) o << " " << glyph(e, s, stages) << " |";
    o << "\n";
  }
  o << "\n";
  snippets(o, c, markers, stages);
  prevention_patterns(o, c, stages);
  o << "## Per stage, why\n\n";
  for (int s = 1; s <= kStageCount; ++s) {
    if (!built(stages, s)) {
      o << "### Stage " << s << " (planned, not built yet)\n\nWhat its design intends; no attack has run against it.\n\n";
      for (const auto& e : c.entries) o << "- **" << e.id << "** planned: " << e.stages.at(s).why << "\n";
      o << "\n";
      continue;
    }
    o << "### Stage " << s << "\n\n";
    for (const auto& e : c.entries) {
      const auto& st = e.stages.at(s);
      o << "- **" << e.id << "** " << status_cell(st.status) << ": " << st.why << "\n";
    }
    o << "\n";
  }
  return o.str();
}

// Every attack as data a learner (or another tool) can read: what it does, what it proves, what each built stage
// is expected to do with it and how the oracle decides, and the command that runs it. Generated, so it cannot
// disagree with the catalog; planned stages are named as planned.
std::string attack_scenarios(const Catalog& c, const std::vector<StageDescription>& stages) {
  Json scenarios = Json::array();
  for (const auto& a : c.attacks) {
    Json proves = Json::array();
    for (const auto& id : a.proves) {
      const Entry* e = c.find_entry(id);
      proves.push_back(Json{{"id", id}, {"title", e ? e->title : ""}, {"scenario", e ? e->attack_scenario : ""}});
    }
    Json expected = Json::object();
    Json run = Json::array();
    for (int s = 1; s <= kStageCount; ++s) {
      if (!built(stages, s)) {
        expected[std::to_string(s)] = "planned";
        continue;
      }
      const Expected x = a.expected.at(s);
      expected[std::to_string(s)] = std::string(to_string(x));
      if (x != Expected::kNotApplicable) run.push_back("./lab attack " + a.id + " --stage " + std::to_string(s));
    }
    Json scenario{{"attack", a.id}, {"title", a.title},        {"proves", proves},
                  {"expected", expected}, {"evidence_rule", a.evidence_rule}, {"run", run}};
    Json refused = Json::object();
    for (const auto& [stage, refusal] : a.blocked_by) {
      if (!built(stages, stage)) continue;
      refused[std::to_string(stage)] = Json{{"control", refusal.control}, {"code", refusal.code}};
    }
    if (!refused.empty()) scenario["refused_by"] = refused;
    scenarios.push_back(std::move(scenario));
  }
  Json doc{{"generated_from", "catalog/vulnerabilities.json by ./lab docs: edit the catalog, not this file"},
           {"scenarios", std::move(scenarios)}};
  return doc.dump(2) + "\n";
}

}  // namespace

std::map<std::string, std::string> generate_docs(const Catalog& catalog, const std::vector<Marker>& markers,
                                                 const std::vector<StageDescription>& stages) {
  std::map<std::string, std::string> docs;
  for (const auto& s : stages) {
    docs[s.directory + "/SECURITY_ANALYSIS.md"] = security_analysis(catalog, markers, s, stages);
  }
  docs["QUICK_REFERENCE.md"] = quick_reference(catalog, stages);
  docs["A2A_SESSION_SECURITY_CHEAT_SHEET.md"] = cheat_sheet(catalog, markers, stages);
  docs["data/sample_data/attack_scenarios.json"] = attack_scenarios(catalog, stages);
  return docs;
}

}  // namespace lab::catalog

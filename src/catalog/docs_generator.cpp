#include "catalog/docs_generator.h"

#include <cctype>
#include <iomanip>
#include <sstream>

#include "catalog/cvss.h"

namespace lab::catalog {
namespace {

constexpr const char* kGeneratedNote =
    "> Generated from `catalog/vulnerabilities.json` and the code's `VULN`/`FIX` markers by `./lab docs`.\n"
    "> Edit the catalog or the code, then run `./lab docs`; a test fails when this file is out of date.\n";

std::string score(double s) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << s;
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
        (stage_of(m.file) == stage || stage_of(m.file) != 0)) {
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

int fixed_in(const Entry& e) {
  for (const auto& [stage, st] : e.stages) {
    if (st.status == Status::kFixed) return stage;
  }
  return 0;
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
                   const StageDescription& stage, const std::string& up) {
  const auto& st = e.stages.at(stage.number);
  o << "### " << e.id << " " << e.title << "\n\n"
    << "- **Status in stage " << stage.number << ":** " << status_cell(st.status) << " — " << st.why << "\n"
    << "- **Category:** " << e.category << "\n"
    << "- **CWE:** " << cwe_links(e) << "\n"
    << "- **CVSS 3.1:** `CVSS:3.1/" << e.cvss_vector << "` → **" << score(e.cvss_score) << " ("
    << cvss_severity(e.cvss_score) << ")**\n";
  if (!e.asvs.empty()) o << "- **ASVS 5.0:** " << join(e.asvs, ", ") << "\n";
  if (const Marker* m = marker_for(markers, e, stage.number)) {
    o << "- **Code:** [`" << m->file << "`](" << up << m->file << ") — `" << m->kind << " " << e.id << ": " << m->text
      << "`\n";
  }
  const int fixed = fixed_in(e);
  o << "- **Fixed in:** " << (fixed ? "stage " + std::to_string(fixed) : std::string("not yet")) << "\n\n"
    << "**What.** " << e.summary << "\n\n"
    << "**Attack scenario.** " << e.attack_scenario << "\n\n"
    << "**Business impact.** " << e.business_impact << "\n\n"
    << "**Mitigation.** " << e.mitigation << "\n\n"
    << "**Proof.** ";
  for (const auto& a : e.attacks) {
    const AttackSpec* spec = c.find_attack(a);
    if (spec && spec->expected.at(stage.number) == Expected::kNotApplicable) {
      o << "`" << a << "` is not run against this stage (nothing here for it to attack). ";
      continue;
    }
    o << "`./lab attack " << a << " --stage " << stage.number << "` (expected: "
      << (spec ? to_string(spec->expected.at(stage.number)) : "?") << ")" << (spec ? " — " + spec->evidence_rule : "")
      << " ";
  }
  o << "\n\n";
}

std::string security_analysis(const Catalog& c, const std::vector<Marker>& markers, const StageDescription& stage) {
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
    << "**. Every row is proven by an attack that runs against the real server: `./lab matrix --stages "
    << stage.number << "`.\n\n";
  o << "| id | vulnerability | CWE | CVSS 3.1 | status in stage " << stage.number << " | fixed in | proven by |\n"
    << "|---|---|---|---|---|---|---|\n";
  for (const auto& e : c.entries) {
    const auto& st = e.stages.at(stage.number);
    const int f = fixed_in(e);
    o << "| [" << e.id << "](#" << anchor(e) << ") | " << e.title << " | "
      << join([&] {
           std::vector<std::string> v;
           for (int x : e.cwe) v.push_back("CWE-" + std::to_string(x));
           return v;
         }(),
              ", ")
      << " | " << score(e.cvss_score) << " " << cvss_severity(e.cvss_score) << " | " << status_cell(st.status) << " | "
      << (f ? std::to_string(f) : "–") << " | " << join(e.attacks, ", ", "`") << " |\n";
  }
  const auto section = [&](const char* title, auto pred) {
    bool any = false;
    for (const auto& e : c.entries) {
      if (!pred(e.stages.at(stage.number).status)) continue;
      if (!any) o << "\n## " << title << "\n\n";
      any = true;
      entry_section(o, c, markers, e, stage, up);
    }
  };
  section("Remaining vulnerabilities", [](Status s) { return s == Status::kVulnerable; });
  section("Partially fixed", [](Status s) { return s == Status::kPartial; });
  section("Fixed in this stage or earlier", [](Status s) { return s == Status::kFixed; });
  section("Not applicable here", [](Status s) { return s == Status::kNotApplicable; });
  return o.str();
}

std::string quick_reference(const Catalog& c, const std::vector<StageDescription>& stages) {
  std::ostringstream o;
  o << "# Quick reference\n\n" << kGeneratedNote << "\n## Commands\n\n"
    << "| command | what it does |\n|---|---|\n"
    << "| `./lab demo` | installs what is missing, builds, runs a project through agent processes, then every attack against every stage; writes `out/report.html` and `out/matrix.json` |\n"
    << "| `./lab test` | the same set-up, then every test (release and ASan+UBSan builds, concurrency tests under "
       "ThreadSanitizer) |\n"
    << "| `./lab serve --stage N` | a stage's coordinator on 127.0.0.1 |\n"
    << "| `./lab worker --stage N --id W --specialty S` | a worker agent |\n"
    << "| `./lab auditor --stage N` | the audit agent (JSON-lines log, alerts) |\n"
    << "| `./lab client --stage N [--script FILE]` | the interactive menu with attack demos |\n"
    << "| `./lab attack NAME --stage N [--json]` | one attack against a fresh stage |\n"
    << "| `./lab matrix [--stages 1,2] [--json] [--report] [--ablation]` | every attack against every stage; "
       "`--ablation`: each stage 3 control switched off alone |\n"
    << "| `./lab bench [hot-path\\|memory\\|stage3]` | server CPU per request, requests/s and memory, with ratios to "
       "redis-server and between stages; `stage3`: signatures, session validation, durable writes, logins |\n"
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
  o << "| `docs/` | PROTOCOL (wire format), ARCHITECTURE |\n\n## Vulnerability index\n\n| id | title | category | CVSS |";
  for (int s = 1; s <= kStageCount; ++s) o << " S" << s << " |";
  o << " attacks |\n|---|---|---|---|";
  for (int s = 1; s <= kStageCount; ++s) o << "---|";
  o << "---|\n";
  const auto glyph = [](Status s) {
    return s == Status::kVulnerable ? "❌" : s == Status::kPartial ? "⚠️" : s == Status::kFixed ? "✅" : "–";
  };
  for (const auto& e : c.entries) {
    o << "| " << e.id << " | " << e.title << " | " << e.category << " | " << score(e.cvss_score) << " |";
    for (int s = 1; s <= kStageCount; ++s) o << " " << glyph(e.stages.at(s).status) << " |";
    o << " " << join(e.attacks, ", ", "`") << " |\n";
  }
  o << "\n## Attack index\n\nE exploited, B blocked: what the catalog expects; `./lab matrix` checks it.\n\n| attack | proves |";
  for (int s = 1; s <= kStageCount; ++s) o << " S" << s << " |";
  o << "\n|---|---|";
  for (int s = 1; s <= kStageCount; ++s) o << "---|";
  o << "\n";
  for (const auto& a : c.attacks) {
    o << "| `" << a.id << "` " << a.title << " | " << join(a.proves, ", ") << " |";
    for (int s = 1; s <= kStageCount; ++s) {
      const auto x = a.expected.at(s);
      o << " " << (x == Expected::kExploited ? "E" : x == Expected::kBlocked ? "B" : "–") << " |";
    }
    o << "\n";
  }
  return o.str();
}

std::string cheat_sheet(const Catalog& c) {
  std::ostringstream o;
  o << "# A2A session security cheat sheet\n\n" << kGeneratedNote
    << "\nOne row per weakness, one column per stage: what each stage does about it. ✅ fixed, ⚠️ partial, ❌ "
       "vulnerable, – not applicable. The control is the mitigation column; the reason per stage is the catalog's "
       "`why`.\n\n| weakness | control (secure stages) |";
  for (int s = 1; s <= kStageCount; ++s) o << " S" << s << " |";
  o << "\n|---|---|";
  for (int s = 1; s <= kStageCount; ++s) o << "---|";
  o << "\n";
  for (const auto& e : c.entries) {
    std::string control = e.mitigation;
    if (const auto dot = control.find(". "); dot != std::string::npos) control = control.substr(0, dot + 1);
    o << "| " << e.id << " " << e.title << " | " << control << " |";
    for (int s = 1; s <= kStageCount; ++s) {
      const auto st = e.stages.at(s).status;
      o << " " << (st == Status::kVulnerable ? "❌" : st == Status::kPartial ? "⚠️" : st == Status::kFixed ? "✅" : "–")
        << " |";
    }
    o << "\n";
  }
  o << "\n## Per stage, why\n\n";
  for (int s = 1; s <= kStageCount; ++s) {
    o << "### Stage " << s << "\n\n";
    for (const auto& e : c.entries) {
      const auto& st = e.stages.at(s);
      o << "- **" << e.id << "** " << status_cell(st.status) << ": " << st.why << "\n";
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace

std::map<std::string, std::string> generate_docs(const Catalog& catalog, const std::vector<Marker>& markers,
                                                 const std::vector<StageDescription>& stages) {
  std::map<std::string, std::string> docs;
  for (const auto& s : stages) docs[s.directory + "/SECURITY_ANALYSIS.md"] = security_analysis(catalog, markers, s);
  docs["QUICK_REFERENCE.md"] = quick_reference(catalog, stages);
  docs["A2A_SESSION_SECURITY_CHEAT_SHEET.md"] = cheat_sheet(catalog);
  return docs;
}

}  // namespace lab::catalog

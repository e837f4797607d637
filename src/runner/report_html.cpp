#include "runner/report_html.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

#include "catalog/cvss.h"
#include "runner/cell_letters.h"
#include "runner/duration_text.h"
#include "runner/report_demo.h"

namespace lab::runner {
namespace {

constexpr const char* kStyle = R"(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d232a}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #d6dbe0;padding-bottom:.3rem}
.muted{color:#5b6570}.ok{background:#d9f2df;color:#11602b}.bad{background:#fbd9d9;color:#8b1111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d6dbe0;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f5f7}td.cell{text-align:center;font-weight:600;white-space:nowrap}
.summary{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d6dbe0;border-radius:6px;padding:.6rem 1rem}
.card b{font-size:1.4rem;display:block}code{background:#f3f5f7;padding:0 .25rem;border-radius:3px}
details{margin:.2rem 0}summary{cursor:pointer}.status-vulnerable{color:#8b1111}.status-partial{color:#8a5a00}
.status-fixed{color:#11602b}.evidence{font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap}
.entry{border:1px solid #d6dbe0;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.outcome-exploited{background:#f9d3d0;color:#8b1111}.outcome-blocked{background:#d9f2df;color:#11602b}
.outcome-na{background:#eceff1;color:#5b6570}.outcome-error{background:#fff0c2;color:#7a5200}
span.outcome{padding:0 .3rem;border-radius:3px}
td.drift{outline:3px dashed #6a1b9a;outline-offset:-4px}.card.drift{border:2px dashed #6a1b9a}
.drift-badge{display:inline-block;background:#6a1b9a;color:#fff;border-radius:3px;font-size:.7rem;font-weight:600;
padding:0 .3rem;margin-left:.3rem;vertical-align:middle}
a.letter{color:inherit;text-decoration:none}.marker{display:block;font-size:.72rem;font-weight:400;color:inherit}
.legend span{display:inline-block;padding:0 .4rem;margin-right:.4rem;border-radius:3px}
)";

std::string fixed1(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v;
  return s.str();
}

std::string entry_link(const std::string& id) { return "<a href=\"#" + html_escape(id) + "\">" + html_escape(id) + "</a>"; }

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

namespace {

using CellIndex = std::map<std::pair<std::string, int>, const MatrixCell*>;

// " (also refused by X, Y)": the overlapping controls the catalog names for a cell.
std::string also_text(const std::vector<std::string>& also) {
  if (also.empty()) return {};
  std::string out = " (also refused by ";
  for (std::size_t i = 0; i < also.size(); ++i) out += (i ? ", " : "") + also[i];
  return out + ")";
}

bool ran(const CellIndex& cells, const catalog::AttackSpec& spec, const std::vector<int>& stages) {
  return std::any_of(stages.begin(), stages.end(), [&](int s) { return cells.count({spec.id, s}) > 0; });
}

// The class that colours a cell, or an outcome in the evidence, by what the attack did.
std::string outcome_class(attacks::Outcome outcome) {
  switch (outcome) {
    case attacks::Outcome::kExploited:
      return "outcome-exploited";
    case attacks::Outcome::kBlocked:
      return "outcome-blocked";
    case attacks::Outcome::kError:
      return "outcome-error";
    case attacks::Outcome::kNotApplicable:
      return "outcome-na";
  }
  return "outcome-error";
}

constexpr const char* kDriftBadge = "<span class=\"drift-badge\">drift</span>";

int count_outcome(const MatrixResult& result, attacks::Outcome outcome) {
  return static_cast<int>(std::count_if(result.cells.begin(), result.cells.end(),
                                        [&](const MatrixCell& c) { return c.outcome == outcome; }));
}

void write_summary(std::ostream& h, const MatrixResult& result, const std::string& generated_at) {
  const int drift = result.drift_count();
  h << "<h1>Session Security Lab — attack × stage matrix</h1><p class=\"muted\">Generated " << html_escape(generated_at)
    << ". Every cell is an attack run over real sockets against a freshly started stage; the outcome is decided from "
       "evidence the attack collected.</p>";
  h << "<div class=\"summary\"><div class=\"card\"><b>" << result.cells.size() << "</b>cells</div>"
    << "<div class=\"card outcome-exploited\"><b>" << count_outcome(result, attacks::Outcome::kExploited)
    << "</b>exploited</div><div class=\"card outcome-blocked\"><b>" << count_outcome(result, attacks::Outcome::kBlocked)
    << "</b>blocked</div><div class=\"card outcome-na\"><b>" << count_outcome(result, attacks::Outcome::kNotApplicable)
    << "</b>n/a</div>";
  if (const int errors = count_outcome(result, attacks::Outcome::kError); errors > 0) {
    h << "<div class=\"card outcome-error\"><b>" << errors << "</b>could not run</div>";
  }
  h << "<div class=\"card" << (drift ? " drift" : "") << "\" id=\"drift-count\"><b>" << drift << "</b>drift"
    << (drift ? kDriftBadge : "") << "</div><div class=\"card\"><b>" << result.cells.size() - drift
    << "</b>as the catalog expects</div><div class=\"card\"><b>" << duration_text(result.seconds)
    << "</b>wall time</div></div>";
}

// The markers a cell points at, as links (named, without a link, when the report has no way to the sources).
void write_marker_links(std::ostream& h, const std::vector<const catalog::Marker*>& markers,
                        const SourceMarkers& sources) {
  for (const catalog::Marker* m : markers) {
    const std::string where = m->file + ":" + std::to_string(m->line);
    const std::string title = m->kind + " " + m->id + " at " + where + ": " + m->text;
    const std::string href = marker_href(sources, *m);
    if (href.empty()) {
      h << "<span class=\"marker\" title=\"" << html_escape(title) << "\">" << html_escape(m->kind + " " + m->id)
        << "</span>";
    } else {
      h << "<a class=\"marker\" href=\"" << html_escape(href) << "\" title=\"" << html_escape(title) << "\">"
        << html_escape(m->kind + " " + m->id) << "</a>";
    }
  }
}

void write_matrix(std::ostream& h, const MatrixResult& result, const catalog::Catalog& catalog, const CellIndex& cells,
                  const SourceMarkers& sources) {
  h << "<h2>Matrix</h2><table><tr><th>attack</th><th>proves</th>";
  for (int s : result.stages) h << "<th>stage " << s << "</th>";
  h << "</tr>";
  for (const auto& spec : catalog.attacks) {
    if (!ran(cells, spec, result.stages)) continue;
    h << "<tr><td><a href=\"#attack-" << html_escape(spec.id) << "\">" << html_escape(spec.id)
      << "</a><br><span class=\"muted\">" << html_escape(spec.title) << "</span></td><td>";
    for (const auto& id : spec.proves) h << entry_link(id) << " ";
    h << "</td>";
    for (int s : result.stages) {
      auto it = cells.find({spec.id, s});
      if (it == cells.end()) {
        h << "<td></td>";
        continue;
      }
      const MatrixCell& c = *it->second;
      const bool drift = !c.as_expected();
      h << "<td class=\"cell " << outcome_class(c.outcome) << (drift ? " drift" : "") << "\" title=\""
        << html_escape(drift ? c.drift() : "as the catalog expects: " + std::string(catalog::to_string(c.expected)))
        << "\"><a class=\"letter\" href=\"#attack-" << html_escape(spec.id) << "\">" << outcome_letter(c.outcome)
        << "</a>" << (drift ? kDriftBadge : "");
      write_marker_links(h, markers_of_cell(c, catalog, sources.markers), sources);
      h << "</td>";
    }
    h << "</tr>";
  }
  h << "</table><p class=\"legend muted\"><span class=\"outcome-exploited\">E exploited</span><span "
       "class=\"outcome-blocked\">B blocked</span><span class=\"outcome-na\">- n/a</span><span "
       "class=\"outcome-error\">! could not run</span>"
    << kDriftBadge
    << " with a dashed border: the outcome (or the refusal behind a block) is not the one the catalog expects for that "
       "stage; the colour still says what happened. Under each letter, the "
       "line of code the cell proves: the <code>VULN</code> marker of the weakness an exploit went through, the "
       "<code>FIX</code> marker of the control that refused.</p>";
}

// The markers of a cell with their file, line and the code they sit on.
void write_code(std::ostream& h, const std::vector<const catalog::Marker*>& markers, const SourceMarkers& sources) {
  for (const catalog::Marker* m : markers) {
    const std::string where = m->file + ":" + std::to_string(m->line);
    const std::string href = marker_href(sources, *m);
    h << "<div class=\"muted\">" << html_escape(m->kind + " " + m->id) << " at ";
    if (href.empty()) {
      h << "<code>" << html_escape(where) << "</code>";
    } else {
      h << "<a href=\"" << html_escape(href) << "\"><code>" << html_escape(where) << "</code></a>";
    }
    h << ": " << html_escape(m->text);
    std::string code;
    for (const auto& line : m->code) code += (code.empty() ? "" : "\n") + line;
    if (!code.empty()) h << "<div class=\"evidence\"><code>" << html_escape(code) << "</code></div>";
    h << "</div>";
  }
}

void write_evidence(std::ostream& h, const MatrixResult& result, const catalog::Catalog& catalog,
                    const CellIndex& cells, const SourceMarkers& sources) {
  h << "<h2>Evidence</h2>";
  for (const auto& spec : catalog.attacks) {
    if (!ran(cells, spec, result.stages)) continue;
    h << "<div class=\"entry\" id=\"attack-" << html_escape(spec.id) << "\"><b>" << html_escape(spec.id) << "</b> — "
      << html_escape(spec.title) << "<br><span class=\"muted\">Oracle: " << html_escape(spec.evidence_rule) << "</span>";
    for (int s : result.stages) {
      auto it = cells.find({spec.id, s});
      if (it == cells.end()) continue;
      const MatrixCell& c = *it->second;
      h << "<details" << (c.as_expected() ? "" : " open") << "><summary>stage " << s << ": <span class=\"outcome "
        << outcome_class(c.outcome) << "\">" << attacks::to_string(c.outcome)
        << (c.refusal.empty() ? "" : " (" + c.refusal + ")") << "</span> (expected " << catalog::to_string(c.expected)
        << (c.expected_refusal ? " by " + c.expected_refusal->control +
                                     (c.expected_refusal->code.empty() ? "" : " with " + c.expected_refusal->code) +
                                     also_text(c.expected_refusal->also)
                               : "")
        << (c.outcome == attacks::Outcome::kNotApplicable ? "" : ", " + duration_text(c.seconds)) << ")"
        << (c.as_expected() ? "" : kDriftBadge) << "</summary>";
      write_code(h, markers_of_cell(c, catalog, sources.markers), sources);
      h << "<div class=\"evidence\">" << html_escape(c.evidence) << "</div></details>";
    }
    h << "</div>";
  }
}

// The entry's status in each stage this report ran (what its attacks just proved); a stage it did not run (not built
// yet, or left out with --stages) shows no status, only that it was not run.
void write_entry(std::ostream& h, const catalog::Entry& e, const std::vector<int>& ran_stages) {
  h << "<div class=\"entry\" id=\"" << html_escape(e.id) << "\"><b>" << html_escape(e.id) << " " << html_escape(e.title)
    << "</b> <span class=\"muted\">(" << html_escape(e.category) << ")</span><br>CWE: ";
  for (int cwe : e.cwe) h << "<a href=\"https://cwe.mitre.org/data/definitions/" << cwe << ".html\">CWE-" << cwe << "</a> ";
  h << " · CVSS 3.1: <a href=\"https://www.first.org/cvss/calculator/3.1#CVSS:3.1/" << html_escape(e.cvss_vector)
    << "\"><code>" << html_escape(e.cvss_vector) << "</code></a> = <b>" << fixed1(e.cvss_score) << "</b> "
    << catalog::cvss_severity(e.cvss_score);
  if (!e.asvs.empty()) {
    h << " · ASVS:";
    for (const auto& a : e.asvs) h << " " << html_escape(a);
  }
  h << "<p>" << html_escape(e.summary) << "</p><details><summary>Attack scenario, impact, mitigation</summary><p>"
    << html_escape(e.attack_scenario) << "</p><p><b>Impact.</b> " << html_escape(e.business_impact)
    << "</p><p><b>Mitigation.</b> " << html_escape(e.mitigation) << "</p></details><table><tr>";
  std::string not_run;
  for (const auto& [stage, st] : e.stages) {
    if (std::find(ran_stages.begin(), ran_stages.end(), stage) != ran_stages.end()) {
      h << "<th>stage " << stage << "</th>";
    } else {
      not_run += (not_run.empty() ? "" : ", ") + std::to_string(stage);
    }
  }
  h << "</tr><tr>";
  for (const auto& [stage, st] : e.stages) {
    if (std::find(ran_stages.begin(), ran_stages.end(), stage) == ran_stages.end()) continue;
    h << "<td><span class=\"status-" << catalog::to_string(st.status) << "\">" << catalog::to_string(st.status)
      << "</span><br><span class=\"muted\">" << html_escape(st.why) << "</span></td>";
  }
  h << "</tr></table>";
  if (!not_run.empty()) h << "<span class=\"muted\">Not run in this report: stage " << not_run << ".</span><br>";
  h << "Proven by: ";
  for (const auto& a : e.attacks) h << "<a href=\"#attack-" << html_escape(a) << "\">" << html_escape(a) << "</a> ";
  h << "</div>";
}

// One control per row: its verdict, what it fixes, the attacks run without it and what became of them.
void write_ablation(std::ostream& h, const AblationResult& a) {
  h << "<h2>Ablation — stage " << a.stage << "</h2><p class=\"muted\">Each control switched off alone; the attacks "
    << "it exists to stop run against the stage without it. <b>necessary</b>: one of them then succeeded. "
    << "<b>overlapped</b>: another control still stopped every one (named below). "
    << duration_text(a.seconds)
    << ".</p><table><tr><th>control</th><th>fixes</th><th>verdict</th><th>without it</th></tr>";
  for (const auto& c : a.controls) {
    std::string fixes;
    for (const auto& id : c.control.fixes) fixes += (fixes.empty() ? "" : ", ") + id;
    const bool good = c.verdict == AblationVerdict::kNecessary;
    const bool bad = c.verdict == AblationVerdict::kError;
    h << "<tr><td>" << html_escape(c.control.name) << "</td><td>" << html_escape(fixes) << "</td><td class=\"cell "
      << (good ? "ok" : bad ? "bad" : "") << "\">" << html_escape(to_string(c.verdict)) << "</td><td>";
    for (const auto& cell : c.cells) {
      h << "<details><summary>" << html_escape(cell.attack) << ": " << attacks::to_string(cell.outcome)
        << (cell.refusal.empty() ? "" : " (" + html_escape(cell.refusal) + ")") << "</summary><div class=\"evidence\">"
        << html_escape(cell.evidence) << "</div></details>";
    }
    if (!good) h << "<span class=\"muted\">" << html_escape(c.summary()) << "</span>";
    h << "</td></tr>";
  }
  h << "</table>";
}

}  // namespace

std::string render_report_html(const MatrixResult& result, const catalog::Catalog& catalog,
                               const std::string& generated_at, const std::vector<AblationResult>& ablations,
                               const SourceMarkers& sources, const std::optional<DemoSummary>& demo) {
  std::ostringstream h;
  CellIndex cells;
  for (const auto& c : result.cells) cells[{c.attack, c.stage}] = &c;
  h << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    << "<title>Session Security Lab — attack × stage matrix</title><style>" << kStyle << "</style></head><body>";
  write_summary(h, result, generated_at);
  write_matrix(h, result, catalog, cells, sources);
  if (demo) write_demo_section(h, *demo);
  for (const auto& ablation : ablations) write_ablation(h, ablation);
  write_evidence(h, result, catalog, cells, sources);
  h << "<h2>Catalog</h2>";
  for (const auto& e : catalog.entries) write_entry(h, e, result.stages);
  h << "</body></html>\n";
  return h.str();
}

}  // namespace lab::runner

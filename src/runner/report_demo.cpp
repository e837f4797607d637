#include "runner/report_demo.h"

#include "runner/duration_text.h"
#include "runner/report_html.h"

namespace lab::runner {
namespace {

void write_run_row(std::ostream& h, const DemoRun& r) {
  h << "<tr><td><a href=\"#demo-stage" << r.stage << "\">stage " << r.stage << "</a></td><td>"
    << html_escape(r.transport == "tls" ? "mutual TLS" : r.transport) << "</td><td class=\"cell "
    << (r.completed ? "outcome-blocked" : "outcome-error") << "\">" << r.finished << " of " << r.tasks << "</td><td>"
    << duration_text(r.startup_seconds) << "</td><td>" << duration_text(r.project_seconds) << "</td><td>" << r.events
    << " events, " << r.alerts.size() << (r.alerts.size() == 1 ? " alert" : " alerts") << "</td><td class=\"cell "
    << (r.leaked_session_ids > 0 ? "outcome-exploited" : "outcome-blocked") << "\">" << r.leaked_session_ids
    << "</td><td>";
  if (r.audit_chain) {
    h << "<span class=\"outcome " << (r.audit_chain_intact ? "outcome-blocked" : "outcome-exploited") << "\">"
      << html_escape(*r.audit_chain) << "</span>";
  } else {
    h << "<span class=\"muted\">none kept</span>";
  }
  h << "</td></tr>";
}

void write_run_details(std::ostream& h, const DemoRun& r) {
  h << "<details id=\"demo-stage" << r.stage << "\"" << (r.completed ? "" : " open") << "><summary>stage " << r.stage
    << ": the tasks and the auditor's alerts</summary>";
  if (!r.failure.empty()) h << "<p class=\"outcome outcome-error\">" << html_escape(r.failure) << "</p>";
  h << "<table><tr><th>task</th><th>specialty</th><th>status</th><th>by</th><th>what the worker found</th></tr>";
  for (const auto& t : r.task_results) {
    h << "<tr><td>" << html_escape(t.id) << "</td><td>" << html_escape(t.specialty) << "</td><td>"
      << html_escape(t.status) << "</td><td>" << html_escape(t.assignee) << "</td><td>" << html_escape(t.result)
      << "</td></tr>";
  }
  h << "</table>";
  for (const auto& a : r.alerts) h << "<div class=\"evidence\">" << html_escape(a) << "</div>";
  if (r.leaked_session_ids > 0) {
    h << "<p><span class=\"outcome outcome-exploited\">" << r.leaked_session_ids
      << " session ids went out on the open event stream</span> (V-024): anyone who subscribes can act as those "
         "agents.</p>";
  }
  h << "<p class=\"muted\">Logs: <code>" << html_escape(r.log_dir) << "</code></p></details>";
}

}  // namespace

void write_demo_section(std::ostream& h, const DemoSummary& demo) {
  h << "<h2 id=\"demo\">The demo's project</h2><p class=\"muted\">What <code>lab demo</code> did before the matrix ("
    << html_escape(demo.ran_at) << "): the sample project carried from creation to its last task on each stage by a "
    << "coordinator, four workers and the auditor, each a process of its own, the stages side by side ("
    << duration_text(demo.seconds) << " in all). <i>Start-up</i>: a lab CA made where the stage needs one, the "
    << "processes started and the lead agent logged in; <i>project</i>: from the project's creation to its last task "
    << "finished.</p>";
  h << "<table><tr><th>stage</th><th>transport</th><th>tasks finished</th><th>start-up</th><th>project</th>"
       "<th>auditor</th><th>session ids leaked</th><th>the coordinator's own audit log</th></tr>";
  for (const auto& r : demo.runs) write_run_row(h, r);
  h << "</table>";
  for (const auto& r : demo.runs) write_run_details(h, r);
}

}  // namespace lab::runner

#include "runner/demo_run.h"

#include "core/file_io.h"

namespace lab::runner {
namespace {

Json task_json(const DemoTask& t) {
  return Json{{"id", t.id}, {"specialty", t.specialty}, {"status", t.status}, {"assignee", t.assignee},
              {"result", t.result}};
}

DemoTask task_from(const Json& j) {
  return DemoTask{j.value("id", ""), j.value("specialty", ""), j.value("status", ""), j.value("assignee", ""),
                  j.value("result", "")};
}

Json run_json(const DemoRun& r) {
  Json tasks = Json::array();
  for (const auto& t : r.task_results) tasks.push_back(task_json(t));
  return Json{{"stage", r.stage},
              {"transport", r.transport},
              {"completed", r.completed},
              {"failure", r.failure},
              {"tasks", r.tasks},
              {"finished", r.finished},
              {"startup_seconds", r.startup_seconds},
              {"project_seconds", r.project_seconds},
              {"task_results", std::move(tasks)},
              {"events", r.events},
              {"alerts", r.alerts},
              {"leaked_session_ids", r.leaked_session_ids},
              {"audit_chain", r.audit_chain ? Json(*r.audit_chain) : Json(nullptr)},
              {"audit_chain_intact", r.audit_chain_intact},
              {"log_dir", r.log_dir}};
}

DemoRun run_from(const Json& j) {
  DemoRun r;
  r.stage = j.value("stage", 0);
  r.transport = j.value("transport", "");
  r.completed = j.value("completed", false);
  r.failure = j.value("failure", "");
  r.tasks = j.value("tasks", 0);
  r.finished = j.value("finished", 0);
  r.startup_seconds = j.value("startup_seconds", 0.0);
  r.project_seconds = j.value("project_seconds", 0.0);
  for (const auto& t : j.value("task_results", Json::array())) {
    if (t.is_object()) r.task_results.push_back(task_from(t));
  }
  r.events = j.value("events", 0);
  for (const auto& a : j.value("alerts", Json::array())) {
    if (a.is_string()) r.alerts.push_back(a.get<std::string>());
  }
  r.leaked_session_ids = j.value("leaked_session_ids", 0);
  if (j.contains("audit_chain") && j["audit_chain"].is_string()) r.audit_chain = j["audit_chain"].get<std::string>();
  r.audit_chain_intact = j.value("audit_chain_intact", false);
  r.log_dir = j.value("log_dir", "");
  return r;
}

}  // namespace

Json DemoSummary::to_json() const {
  Json list = Json::array();
  for (const auto& r : runs) list.push_back(run_json(r));
  return Json{{"ran_at", ran_at}, {"seconds", seconds}, {"runs", std::move(list)}};
}

std::optional<DemoSummary> DemoSummary::from_json(const Json& json) {
  if (!json.is_object() || !json.contains("runs") || !json["runs"].is_array()) return std::nullopt;
  try {
    DemoSummary s;
    s.ran_at = json.value("ran_at", "");
    s.seconds = json.value("seconds", 0.0);
    for (const auto& r : json["runs"]) {
      if (r.is_object()) s.runs.push_back(run_from(r));
    }
    return s;
  } catch (const Json::exception&) {  // a field of the wrong type: a file edited by hand
    return std::nullopt;
  }
}

std::filesystem::path demo_summary_file(const std::filesystem::path& demo_dir) { return demo_dir / "summary.json"; }

bool write_demo_summary(const std::filesystem::path& file, const DemoSummary& summary) {
  return write_file(file, summary.to_json().dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

std::optional<DemoSummary> read_demo_summary(const std::filesystem::path& file) {
  const auto text = read_file(file);
  if (!text) return std::nullopt;
  return DemoSummary::from_json(Json::parse(*text, nullptr, false));
}

}  // namespace lab::runner

// What `lab demo` did with its project on each stage, kept beside the demo's
// logs (out/demo/summary.json) so that the report written after it can show
// the project's run next to the matrix.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.h"

namespace lab::runner {

// One task of the project as it ended.
struct DemoTask {
  std::string id;
  std::string specialty;
  std::string status;
  std::string assignee;
  std::string result;  // what the worker found, in one line
};

// The project carried out on one stage by a coordinator, four workers and the auditor, each a process.
struct DemoRun {
  int stage = 0;
  std::string transport;  // "tcp", or "tls" for mutual TLS
  bool completed = false;  // every task reached a final state in time
  std::string failure;     // why not, when not
  int tasks = 0;
  int finished = 0;
  double startup_seconds = 0;  // coordinator, auditor and workers started, up to the lead agent's login
  double project_seconds = 0;  // project created, up to its last task finished
  std::vector<DemoTask> task_results;
  int events = 0;  // what the auditor recorded
  std::vector<std::string> alerts;
  int leaked_session_ids = 0;  // session ids anyone could read on the open event stream (V-024)
  // A stage that keeps a hash-chained audit log of its own: the verifier's verdict on it.
  std::optional<std::string> audit_chain;
  bool audit_chain_intact = false;
  std::string log_dir;
};

struct DemoSummary {
  std::string ran_at;  // ISO 8601
  double seconds = 0;  // every stage's run, side by side
  std::vector<DemoRun> runs;

  Json to_json() const;
  static std::optional<DemoSummary> from_json(const Json& json);
};

// out/demo/summary.json: where the demo leaves its summary for the report.
std::filesystem::path demo_summary_file(const std::filesystem::path& demo_dir);
bool write_demo_summary(const std::filesystem::path& file, const DemoSummary& summary);
// nullopt when there is none, or it cannot be read.
std::optional<DemoSummary> read_demo_summary(const std::filesystem::path& file);

}  // namespace lab::runner

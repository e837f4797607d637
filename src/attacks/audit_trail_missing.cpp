// audit-trail-missing: an intruder with a marked agent id fails to log in and
// makes requests the server refuses. Exploited when nothing the server keeps
// on disk records that agent id afterwards.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"

namespace lab::attacks {
namespace {

class AuditTrailMissing final : public Attack {
 public:
  std::string_view id() const override { return "audit-trail-missing"; }
  std::string_view title() const override { return "Leave no trace of failed attacks"; }

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab (its files are inspected)");
    const std::string intruder = "intruder-" + t.tag;
    auto conn = client::open_connection(from_other_host(t));
    if (!conn) return failed("intruder cannot connect: " + conn.error().message);
    int refused = 0;
    // Refused requests only: nothing here may legitimately change the stage's state.
    if (client::profile_for(t.stage).checks_passwords()) {
      for (const char* guess : {"123456", "password", "letmein"}) {
        refused += (*conn)->call("login", Json{{"agent_id", intruder}, {"password", guess}}).ok() ? 0 : 1;
      }
    }
    refused += (*conn)->call("get_project", Json{{"project_id", intruder}, {"agent_id", intruder}}).ok() ? 0 : 1;
    refused += (*conn)->call("claim_task", Json{{"task_id", intruder}, {"agent_id", intruder}}).ok() ? 0 : 1;
    (*conn)->session_id = "sess-" + intruder;
    refused += (*conn)->call("get_task_board_dump", Json{{"agent_id", intruder}}).ok() ? 0 : 1;
    if (refused == 0) return failed("none of the intruder's requests was refused; nothing to audit");
    conn->reset();

    if (auto stopped = t.control->stop(); !stopped) return failed("cannot stop the stage: " + stopped.error().message);
    const auto hits = wait_for_files_containing(t.control->state_dir(), {intruder}, std::chrono::milliseconds(200));
    if (auto restarted = t.control->restart(); !restarted) {
      return failed("cannot restart the stage: " + restarted.error().message);
    }
    if (hits.empty()) {
      return exploited(std::to_string(refused) + " refused attempts by " + intruder +
                       " left no record in any file the server keeps (" + t.control->state_dir().string() + ")");
    }
    return blocked("the refused attempts of " + intruder + " are recorded in " + hits.front().file.string());
  }
};

}  // namespace

std::unique_ptr<Attack> make_audit_trail_missing() { return std::make_unique<AuditTrailMissing>(); }

}  // namespace lab::attacks

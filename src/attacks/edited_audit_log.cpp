// edited-audit-log: an intruder with a marked agent id makes requests the
// server refuses (a failed login, probes), a legitimate agent logs in after
// it, and then, with host access and the server stopped, the intruder deletes
// every line that names it from whatever file the stage keeps them in.
// Exploited when the stage's records then show no sign of the attempts (no
// record was kept, or the edited log still verifies); blocked when the hash
// chain names the edit.
//
// The deleted lines are followed by others, so this is an edit inside the log.
// A hash chain alone does not catch lines cut off its end, nor a log rewritten
// with every hash recomputed (security/audit_chain.h): this attack claims
// neither.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "core/file_io.h"
#include "security/audit_chain.h"

namespace lab::attacks {
namespace {

// `text` without the lines that contain `needle`, and how many were removed.
std::pair<std::string, int> without_lines_naming(const std::string& text, const std::string& needle) {
  std::string kept;
  int removed = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string_view line(text.data() + start, end - start);
    if (line.find(needle) != std::string_view::npos) ++removed;
    else kept.append(line);
    start = end;
  }
  return {kept, removed};
}

class EditedAuditLog final : public Attack {
 public:
  std::string_view id() const override { return "edited-audit-log"; }
  std::string_view title() const override { return "Delete one's own lines from the audit log"; }

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab (its files are edited)");
    const std::string intruder = "intruder-" + t.tag;
    auto conn = client::open_connection(from_other_host(t));
    if (!conn) return failed("intruder cannot connect: " + conn.error().message);
    // Refused requests only, as in audit-trail-missing (nothing here may change the stage's state): a failed
    // login where passwords exist, probes for objects that do not exist, a made-up operation on a made-up session.
    int refused = 0;
    if (client::profile_for(t.stage).checks_passwords()) {
      refused += (*conn)->call("login", Json{{"agent_id", intruder}, {"password", "letmein"}}).ok() ? 0 : 1;
    }
    refused += (*conn)->call("get_project", Json{{"project_id", intruder}, {"agent_id", intruder}}).ok() ? 0 : 1;
    refused += (*conn)->call("claim_task", Json{{"task_id", intruder}, {"agent_id", intruder}}).ok() ? 0 : 1;
    (*conn)->session_id = "sess-" + intruder;
    refused += (*conn)->call("get_task_board_dump", Json{{"agent_id", intruder}}).ok() ? 0 : 1;
    if (refused == 0) return failed("none of the intruder's requests was refused; nothing to hide");
    conn->reset();
    // Someone else's entries after the intruder's: the deleted lines are not the log's last.
    auto later = client::open_session(t.stage, t.endpoint, victim_identity(t));
    if (!later) return failed("the victim cannot log in after the intruder: " + later.error().message);
    later->reset();

    if (auto s = t.control->stop(); !s) return failed("cannot stop the stage: " + s.error().message);
    const auto hits = wait_for_files_containing(t.control->state_dir(), {intruder}, std::chrono::milliseconds(0));
    if (hits.empty()) {
      (void)t.control->restart();
      return exploited(std::to_string(refused) + " refused attempts by " + intruder +
                       " are in no file the stage keeps: it keeps no audit log, so there was not even a line to "
                       "delete");
    }
    std::string evidence;
    std::optional<Error> named;
    for (const auto& hit : hits) {
      const auto [kept, removed] = without_lines_naming(read_file(hit.file).value_or(""), intruder);
      if (removed == 0 || !write_file(hit.file, kept)) return failed("cannot edit " + hit.file.string());
      const auto verified = security::verify_audit_log(hit.file);
      evidence += (evidence.empty() ? "" : "; ") + std::string("deleted the ") + std::to_string(removed) +
                  " line(s) naming " + intruder + " from " + hit.file.filename().string() + ": " +
                  (verified ? "the log still verifies (" + std::to_string(verified->entries) + " entries)"
                            : "verification fails, " + verified.error().message);
      if (!verified && !named) named = verified.error();
    }
    const auto restarted = t.control->restart();
    if (!restarted) evidence += "; the server then refused to start: " + restarted.error().message;
    if (!named) return exploited(evidence);
    return blocked(evidence);
  }
};

}  // namespace

std::unique_ptr<Attack> make_edited_audit_log() { return std::make_unique<EditedAuditLog>(); }

}  // namespace lab::attacks

// state-tamper-at-rest: with the coordinator stopped, a host-level attacker
// edits the stored state (the victim's project now belongs to the attacker,
// the victim becomes admin) and waits for the restart. Exploited when the
// server runs with the edited content.
#include <regex>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "core/file_io.h"

namespace lab::attacks {
namespace {

std::string regex_escape(const std::string& s) {
  static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
  return std::regex_replace(s, special, R"(\$&)");
}

class StateTamperAtRest final : public Attack {
 public:
  // The state is not readable: flip one byte in the middle of every stored file and see what the restart does.
  static AttackResult corrupt_opaque_state(const Target& t, const std::string& pid, const client::Identity& victim_id,
                                           const client::Identity& me) {
    int flipped = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(t.control->state_dir())) {
      if (!entry.is_regular_file() || entry.file_size() == 0) continue;
      std::string bytes = read_file(entry.path()).value_or("");
      bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
      if (write_file(entry.path(), bytes)) ++flipped;
    }
    if (auto s = t.control->restart(); !s) {
      return blocked(pid + " never appeared in plain text; after one bit was flipped in " + std::to_string(flipped) +
                     " stored file(s) the server refused to start: " + s.error().message);
    }
    auto reader = client::open_session(t.stage, t.control->endpoint(), me);
    if (!reader) return failed("attacker cannot log in after the restart: " + reader.error().message);
    auto read = (*reader)->call("get_project", Json{{"project_id", pid}});
    if (!read) {
      return exploited("after one bit was flipped in " + std::to_string(flipped) +
                       " stored file(s), the server ran silently without its state: " + pid + " is gone (" +
                       describe(read.error()) + ")");
    }
    return blocked("after one bit was flipped in " + std::to_string(flipped) + " stored file(s), " + pid +
                   " is intact and still owned by '" +
                   read->value("project", Json::object()).value("owner", victim_id.agent_id) + "'");
  }

  std::string_view id() const override { return "state-tamper-at-rest"; }
  std::string_view title() const override { return "Edit or corrupt the state at rest"; }

  AttackResult run(const Target& t) const override {
    if (!t.control) return failed("needs a stage started by the lab");
    const auto victim_id = victim_identity(t);
    const auto me = attacker_identity(t);
    auto victim = client::open_session(t.stage, t.endpoint, victim_id);
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    auto project = (*victim)->call("create_project", Json{{"name", "ledger-" + t.tag}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);
    const std::string pid = project->value("id", "");
    victim->reset();

    // Wait until the project reached the disk, stop the server, then look again: a file seen while the server
    // was writing (a temporary file about to be renamed) may be gone now.
    (void)wait_for_files_containing(t.control->state_dir(), {'"' + pid + '"'}, std::chrono::seconds(3));
    if (auto s = t.control->stop(); !s) return failed("cannot stop the stage: " + s.error().message);
    const auto hits = wait_for_files_containing(t.control->state_dir(), {'"' + pid + '"'}, std::chrono::seconds(0));
    if (hits.empty()) return corrupt_opaque_state(t, pid, victim_id, me);

    const std::string v = regex_escape(victim_id.agent_id);
    const std::regex owner("(\"owner\"\\s*:\\s*\")" + v + "\"");
    const std::regex role("(\"id\"\\s*:\\s*\"" + v + "\"[^{}]*?\"role\"\\s*:\\s*\")[a-z]+\"");
    std::string edited;
    for (const auto& h : hits) {
      const std::string before = read_file(h.file).value_or("");
      std::string after = std::regex_replace(before, owner, "$1" + me.agent_id + "\"");
      after = std::regex_replace(after, role, "$1admin\"");
      if (after == before) continue;
      if (!write_file(h.file, after)) return failed("cannot write " + h.file.string());
      edited += (edited.empty() ? "" : ", ") + h.file.filename().string();
    }
    if (auto s = t.control->restart(); !s) {
      return blocked("after editing " + (edited.empty() ? std::string("nothing") : edited) +
                     " the server refused to start: " + s.error().message);
    }
    if (edited.empty()) return blocked("the owner of " + pid + " could not be found in the stored state to edit");

    auto reader = client::open_session(t.stage, t.control->endpoint(), me);
    if (!reader) return failed("attacker cannot log in after the restart: " + reader.error().message);
    auto read = (*reader)->call("get_project", Json{{"project_id", pid}});
    if (!read) {
      // Losing everything without an error is corruption accepted silently, not a defence.
      return exploited("after editing " + edited + " and restarting, the server ran silently without its state: " +
                       pid + " is gone (" + describe(read.error()) + ")");
    }
    const std::string now = read->value("project", Json::object()).value("owner", "");
    if (now == me.agent_id) {
      return exploited("edited " + edited + " while the server was stopped; after the restart " + pid +
                       " belongs to " + me.agent_id + " instead of " + victim_id.agent_id);
    }
    return blocked("after editing " + edited + " and restarting, " + pid + " is still owned by '" + now + "'");
  }
};

}  // namespace

std::unique_ptr<Attack> make_state_tamper_at_rest() { return std::make_unique<StateTamperAtRest>(); }

}  // namespace lab::attacks

// malicious-payloads: a project and task full of injection strings (SQL,
// script, path traversal, JNDI lookup, CRLF log forging, an absurd number).
// Exploited when any of them was stored and served back verbatim.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "embedded/embedded_files.h"

namespace lab::attacks {
namespace {

bool has(const Json& j, const char* key, std::string_view needle) {
  return j.is_object() && j.contains(key) && j[key].is_string() &&
         j[key].get<std::string>().find(needle) != std::string::npos;
}

class MaliciousPayloads final : public Attack {
 public:
  std::string_view id() const override { return "malicious-payloads"; }
  std::string_view title() const override { return "Store hostile payloads from sample_data"; }

  AttackResult run(const Target& t) const override {
    const auto text = embedded::file("sample_data/malicious_project.json");
    if (!text) return failed("sample_data/malicious_project.json is not embedded");
    Json sample = Json::parse(*text, nullptr, false);
    if (!sample.is_object()) return failed("sample_data/malicious_project.json is not a JSON object");
    const Json task_sample = sample.value("tasks", Json::array()).empty() ? Json::object() : sample["tasks"][0];
    sample.erase("tasks");

    auto attacker = client::open_session(t.stage, t.endpoint, attacker_identity(t, Role::kCoordinator));
    if (!attacker) return failed("attacker cannot log in: " + attacker.error().message);

    std::vector<std::string> verbatim, refused;
    std::optional<ErrorCode> first_refusal;
    auto project = (*attacker)->call("create_project", sample);
    if (!project) {
      first_refusal = project.error().code;
      refused.push_back("create_project: " + describe(project.error()));
    } else {
      const std::string pid = project->value("id", "");
      Json task = task_sample;
      task["project_id"] = pid;
      auto created = (*attacker)->call("create_task", task);
      if (!created) {
        if (!first_refusal) first_refusal = created.error().code;
        refused.push_back("create_task: " + describe(created.error()));
      }
      auto read = (*attacker)->call("get_project", Json{{"project_id", pid}});
      if (!read) return failed("cannot read back " + pid + ": " + read.error().message);
      const Json p = read->value("project", Json::object());
      const Json meta = p.value("metadata", Json::object());
      if (has(p, "name", "DROP TABLE")) verbatim.push_back("SQL fragment in name");
      if (has(p, "description", "<script>")) verbatim.push_back("<script> in description");
      if (has(meta, "attachment", "../")) verbatim.push_back("../ path in metadata.attachment");
      if (has(meta, "reference", "${jndi:")) verbatim.push_back("${jndi: in metadata.reference");
      if (has(meta, "audit_note", "\r\n")) verbatim.push_back("CRLF in metadata.audit_note");
      if (meta.contains("budget") && meta["budget"].is_number() && meta["budget"].get<double>() >= 1e308) {
        verbatim.push_back("1e308 budget");
      }
      for (const auto& tk : read->value("tasks", Json::array())) {
        if (has(tk, "description", "onerror=")) verbatim.push_back("<img onerror> in task description");
        if (has(tk, "input", "../")) verbatim.push_back("../ path in task input");
      }
    }
    const auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    if (!verbatim.empty()) {
      return exploited(std::to_string(verbatim.size()) + " dangerous values were stored and served back verbatim: " +
                       join(verbatim));
    }
    AttackResult result =
        blocked("no dangerous value came back verbatim" + (refused.empty() ? "" : "; refused: " + join(refused)));
    result.refusal = first_refusal;
    return result;
  }
};

}  // namespace

std::unique_ptr<Attack> make_malicious_payloads() { return std::make_unique<MaliciousPayloads>(); }

}  // namespace lab::attacks

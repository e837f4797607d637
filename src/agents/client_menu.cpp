#include "agents/client_menu.h"

#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>

#include "agents/line_editor.h"
#include "client/session.h"
#include "attacks/attack.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/printable_text.h"
#include "security/lab_ca_directory.h"

namespace lab::agents {
namespace {

// Turns the terminal's echo off on standard input for its lifetime, when asked to and standard input is a terminal.
class TerminalEchoOff {
 public:
  explicit TerminalEchoOff(bool wanted) {
    if (!wanted || ::isatty(STDIN_FILENO) == 0 || ::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;  // NOW, not FLUSH: keys typed ahead are kept
  }
  ~TerminalEchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  TerminalEchoOff(const TerminalEchoOff&) = delete;
  TerminalEchoOff& operator=(const TerminalEchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// A field of an object the server sent, safe for the terminal: a string as its
// printable text, any other value as JSON, a missing one as "".
std::string text(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return printable(it->is_string() ? it->get_ref<const std::string&>() : it->dump());
}

class Menu {
 public:
  explicit Menu(const ClientMenuOptions& o) : o_(o), in_(*o.in), out_(*o.out) {}

  int run() {
    banner();
    if (profile().uses_certificates()) {
      // Mutual TLS: the connection presents the agent's own certificate, so it is opened at login.
      client_ = std::make_unique<net::ProtocolClient>();
    } else {
      auto conn = client::open_connection(o_.endpoint);
      if (!conn) {
        out_ << "cannot reach the coordinator: " << conn.error().message << "\n";
        return 1;
      }
      client_ = std::move(*conn);
    }
    // A stage that believes claims has no real login: the client claims an identity up front. Where passwords are
    // checked, logging in is menu item 1.
    if (!profile().checks_passwords() && !log_in()) return 0;
    for (;;) {
      show_menu();
      const auto choice = ask("Choose an option");
      if (!choice || *choice == "0") break;
      if (!dispatch(*choice)) out_ << "Unknown option '" << *choice << "'.\n";
    }
    out_ << "Bye.\n";
    return 0;
  }

 private:
  void banner() {
    out_ << "╔════════════════════════════════════════════════╗\n"
         << "║   Task Collaboration Client - Stage " << o_.stage << "          ║\n";
    const std::string warning(profile().warning());
    out_ << "║   ⚠  " << warning << std::string(warning.size() < 43 ? 43 - warning.size() : 0, ' ') << "║\n";
    out_ << "╚════════════════════════════════════════════════╝\n";
  }

  void show_menu() {
    if (client_->session_id) {
      out_ << "\nLogged in as " << agent_ << " (" << role_ << "), session " << *client_->session_id << "\n";
    } else {
      out_ << "\nNot logged in.\n";
    }
    if (profile().checks_passwords()) {
      // The labels of the stage README's menu table.
      out_ << "Authentication:\n  1. Login\n  2. Logout\n"
           << "Normal operations:\n  3. Create project\n  4. List projects\n  5. Assign task\n"
           << "  6. Update task status\n  7. Get project details\n"
           << "Attack demonstrations:\n  8. [ATTACK] Stale permissions\n"
           << "  9. [ATTACK] Replay" << (o_.stage == 2 ? " (still works)" : "") << "\n"
           << "  10. [ATTACK] Session hijacking attempt" << (o_.stage == 2 ? " (IP only warned)" : "") << "\n"
           << "  11. [ATTACK] Weak role enforcement\n  0. Quit\n";
      return;
    }
    out_ << "  1. Create project\n"
         << "  2. Assign task\n"
         << "  3. Update task status\n"
         << "  4. List projects\n"
         << "  5. Get project details\n"
         << "  6. [ATTACK] Session hijacking demo\n"
         << "  7. [ATTACK] Session fixation demo\n"
         << "  8. [ATTACK] Stale state (permissions) demo\n"
         << "  9. Log in as another agent\n"
         << "  0. Quit\n";
  }

  // Next answer; nullopt at end of input. Empty answers take the default.
  std::optional<std::string> ask(const std::string& prompt, const std::string& def = "") {
    const std::string shown = prompt + (def.empty() ? "" : " [" + def + "]") + ": ";
    if (o_.edit_lines) {
      out_ << std::flush;
      auto edited = read_edited_line(shown);
      if (!edited) {
        out_ << "\n";
        return std::nullopt;
      }
      return edited->empty() ? def : *edited;
    }
    out_ << shown << std::flush;
    std::string line;
    if (!std::getline(in_, line)) {
      out_ << "\n";
      return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (o_.echo_answers) out_ << line << "\n";
    return line.empty() ? def : line;
  }

  // Like ask, for a secret: not shown as it is typed (terminal echo off) and never written back in script mode.
  std::optional<std::string> ask_secret(const std::string& prompt) {
    std::string line;
    bool read = false;
    {
      // Echo off before the prompt shows: whatever is typed after it is never echoed.
      const TerminalEchoOff quiet(o_.hide_secrets);
      out_ << prompt << ": " << std::flush;
      read = static_cast<bool>(std::getline(in_, line));
    }
    if (!read) {
      out_ << "\n";
      return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out_ << (o_.echo_answers ? std::string(line.size(), '*') + "\n" : o_.hide_secrets ? "\n" : "");
    return line;
  }

  bool log_in() {
    const auto agent = ask("Agent id", "alice");
    if (!agent) return false;
    client::Identity id{*agent, Role::kCoordinator, ""};
    std::string role = "coordinator";
    if (!profile().checks_passwords()) {
      // Stage 1 believes whatever role the client claims.
      const auto claimed = ask("Role (admin, coordinator, worker, observer)", "coordinator");
      if (!claimed) return false;
      role = *claimed;
      id.role = role_from_string(role).value_or(Role::kCoordinator);
    } else {
      const auto password = ask_secret("Password");
      if (!password) return false;
      id.password = *password;
    }
    if (profile().uses_certificates()) {
      auto conn = client::open_connection_as(o_.stage, o_.endpoint, id);
      if (!conn) {
        out_ << "Login failed: cannot connect as " << printable(id.agent_id) << ": " << printable(conn.error().message)
             << "\n";
        return true;
      }
      client_ = std::move(*conn);
    }
    auto r = client::login(*client_, o_.stage, id);
    if (!r) {
      out_ << "Login failed: " << lab::to_string(r.error().code) << " " << printable(r.error().message) << "\n";
      return true;
    }
    agent_ = text(*r, "agent_id");
    role_ = text(*r, "role");
    out_ << "Logged in: session " << printable(client_->session_id.value_or("-")) << "\n";
    return true;
  }

  void show(const Result<Json>& r) {
    if (r) {
      out_ << printable_lines(r->dump(2)) << "\n";
    } else {
      out_ << "Error: " << lab::to_string(r.error().code) << " — " << printable(r.error().message) << "\n";
    }
  }

  bool dispatch(const std::string& choice) {
    if (profile().checks_passwords()) return dispatch_stage2(choice);
    if (choice == "1") return create_project(), true;
    if (choice == "2") return assign_task(), true;
    if (choice == "3") return update_status(), true;
    if (choice == "4") return list_projects(), true;
    if (choice == "5") return get_project(), true;
    if (choice == "6") return demo("hijack-stolen-session"), true;
    if (choice == "7") return demo("session-fixation"), true;
    if (choice == "8") return demo("stale-permissions"), true;
    if (choice == "9") return log_in(), true;
    return false;
  }

  // The seed's stage 2 menu (1-11).
  bool dispatch_stage2(const std::string& choice) {
    if (choice == "1") return log_in(), true;
    if (choice == "2") return log_out(), true;
    if (choice == "3") return create_project(), true;
    if (choice == "4") return list_projects(), true;
    if (choice == "5") return assign_task(), true;
    if (choice == "6") return update_status(), true;
    if (choice == "7") return get_project(), true;
    if (choice == "8") return demo("stale-permissions"), true;
    if (choice == "9") return demo("replay-signed-request"), true;
    if (choice == "10") return demo("hijack-stolen-session"), true;
    if (choice == "11") return demo("privilege-escalation"), true;
    return false;
  }

  void log_out() {
    show(client_->call("logout"));
    client_->session_id.reset();
    client_->hook = nullptr;
  }

  void create_project() {
    auto name = ask("Project name");
    auto description = name ? ask("Description") : std::nullopt;
    if (!description) return;
    auto created = client_->call("create_project", Json{{"name", *name}, {"description", *description}});
    if (created) last_project_ = text(*created, "id");
    show(created);
  }

  void assign_task() {
    auto project = ask("Project id", last_project_);
    auto specialty = project ? ask("Specialty (data_analysis, code_review, testing, documentation)", "data_analysis")
                             : std::nullopt;
    auto description = specialty ? ask("Description") : std::nullopt;
    auto input = description ? ask("Input data (\\n for a new line)") : std::nullopt;
    if (!input) return;
    std::string data;
    for (std::size_t i = 0; i < input->size(); ++i) {
      if ((*input)[i] == '\\' && i + 1 < input->size() && (*input)[i + 1] == 'n') {
        data.push_back('\n');
        ++i;
      } else {
        data.push_back((*input)[i]);
      }
    }
    auto created = client_->call(
        "create_task",
        Json{{"project_id", *project}, {"specialty", *specialty}, {"description", *description}, {"input", data}});
    if (created) last_task_ = text(*created, "id");
    show(created);
  }

  void update_status() {
    auto task = ask("Task id", last_task_);
    auto status = task ? ask("New status (working, input-required, completed, failed, canceled, rejected)", "completed")
                       : std::nullopt;
    auto result = status ? ask("Result note (optional)") : std::nullopt;
    if (!result) return;
    Json payload{{"task_id", *task}, {"status", *status}};
    if (!result->empty()) payload["result"] = Json{{"note", *result}};
    show(client_->call("update_task_status", payload));
  }

  void list_projects() {
    auto r = client_->call("list_projects");
    if (!r) return show(r);
    const auto& projects = (*r)["projects"];
    if (projects.empty()) out_ << "No projects yet.\n";
    for (const auto& p : projects) {
      out_ << "  " << std::left << std::setw(10) << text(p, "id") << std::setw(28) << text(p, "name") << " owner "
           << text(p, "owner") << "\n";
    }
  }

  void get_project() {
    auto id = ask("Project id", last_project_);
    if (!id) return;
    auto r = client_->call("get_project", Json{{"project_id", *id}});
    if (!r) return show(r);
    const auto& p = (*r)["project"];
    out_ << text(p, "id") << "  " << text(p, "name") << " (owner " << text(p, "owner") << ")\n  "
         << text(p, "description") << "\n";
    for (const auto& t : (*r)["tasks"]) {
      out_ << "  - " << std::left << std::setw(9) << text(t, "id") << std::setw(15) << text(t, "specialty")
           << std::setw(15) << text(t, "status") << "v" << text(t, "version") << "  " << text(t, "assignee") << "  "
           << text(t, "description") << "\n";
    }
  }

  void demo(const char* attack_id) {
    const attacks::Attack* attack = attacks::find_attack(attack_id);
    attacks::Target target{o_.stage, o_.endpoint, "127.0.0.2",
                           "demo" + std::to_string(unix_millis(system_clock().now()) % 100000)};
    if (target.endpoint.tls) {
      // Mutual TLS: probes without a session present the insider's lab certificate (an account it has not),
      // found beside the CA like every agent's.
      target.certificate_dir = std::filesystem::path(target.endpoint.tls->ca_file).parent_path();
      const auto insider = security::agent_files(target.certificate_dir, client::kInsiderWithoutAccount);
      target.endpoint.tls->certificate_file = insider.certificate.string();
      target.endpoint.tls->private_key_file = insider.private_key.string();
    }
    out_ << "\n>>> " << attack->title() << " (" << attack->id() << ")\n";
    const auto result = attack->run(target);
    out_ << "Outcome: " << attacks::to_string(result.outcome) << "\nEvidence: " << printable(result.evidence) << "\n";
    // Which control refused, as the catalog names it for this stage.
    const auto* spec = catalog::builtin_catalog().find_attack(attack->id());
    if (result.outcome != attacks::Outcome::kBlocked || !spec) return;
    if (const auto named = spec->blocked_by.find(o_.stage); named != spec->blocked_by.end()) {
      out_ << "Refused by: " << named->second.control
           << (result.refusal ? " (" + std::string(lab::to_string(*result.refusal)) + ")" : std::string()) << "\n";
    }
  }

  const client::ClientProfile& profile() const { return client::profile_for(o_.stage); }

  const ClientMenuOptions& o_;
  std::istream& in_;
  std::ostream& out_;
  std::unique_ptr<net::ProtocolClient> client_;
  std::string agent_;
  std::string role_;
  // What this client last made: the default answer when it is asked for a project or a task (an empty line takes
  // it), so a script works on a server that already holds other projects.
  std::string last_project_ = "proj_1";
  std::string last_task_ = "task_1";
};

}  // namespace

int run_client_menu(const ClientMenuOptions& options) { return Menu(options).run(); }

}  // namespace lab::agents

#include "command_line_errors.h"

#include <algorithm>
#include <iostream>
#include <vector>

namespace lab::app {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The long option names `cmd` accepts ("--stage"), its parents' included.
std::vector<std::string> option_names(const CLI::App* cmd) {
  std::vector<std::string> names{"--help"};
  for (; cmd != nullptr; cmd = cmd->get_parent()) {
    for (const CLI::Option* o : cmd->get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    }
  }
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App* cmd) {
  std::vector<std::string> names;
  for (const CLI::App* sub : cmd->get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

// The innermost subcommand the arguments chose (the app itself when none).
const CLI::App* chosen(const CLI::App& app) {
  const CLI::App* at = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const CLI::App* sub : at->get_subcommands()) {
      at = sub;
      deeper = true;
      break;
    }
  }
  return at;
}

// The first argument that names no option or command where it stands, explained; "" when all are known.
std::string first_unknown(const CLI::App& app, int argc, char** argv) {
  const CLI::App* cmd = chosen(app);
  const auto options = option_names(cmd);
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") continue;
    arg = arg.substr(0, arg.find('='));
    if (std::find(options.begin(), options.end(), arg) != options.end()) continue;
    const std::string near = closest(arg, options);
    return "unknown option " + arg + (cmd == &app ? "" : " for '" + cmd->get_name() + "'") +
           (near.empty() ? "" : "; did you mean " + near + "?");
  }
  if (cmd == &app && argc > 1 && argv[1][0] != '-') {
    const auto commands = subcommand_names(&app);
    const std::string near = closest(argv[1], commands);
    return "unknown command '" + std::string(argv[1]) + "'" + (near.empty() ? "" : "; did you mean " + near + "?") +
           "\ncommands: " + joined(commands);
  }
  return {};
}

}  // namespace

std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& c : candidates) {
    const bool prefix = !typed.empty() && (c.rfind(typed, 0) == 0 || typed.rfind(c, 0) == 0);
    const std::size_t d = prefix ? 1 : edit_distance(typed, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string unknown = first_unknown(app, argc, argv);
    if (unknown.empty()) return app.exit(e);
    std::cerr << "error: " << unknown << "\nRun with --help for more information.\n";
    return e.get_exit_code();
  }
}

}  // namespace lab::app

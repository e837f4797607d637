// `lab attack NAME --stage N`: one attack against a stage started for it (or a running one).
#pragma once

#include <string>

namespace lab::app {

struct AttackCommand {
  std::string name;
  int stage = 1;
  std::string target;  // "host:port" of a running coordinator; empty = start one
  bool json = false;
};

int run_attack_command(const AttackCommand& command);

}  // namespace lab::app

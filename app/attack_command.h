// `lab attack NAME --stage N`: one attack against a stage started for it (or a running one).
#pragma once

#include <filesystem>
#include <string>

namespace lab::app {

struct AttackCommand {
  std::string name;
  int stage = 1;
  std::string target;  // "host:port" of a running coordinator; empty = start one
  std::filesystem::path certificates = "state/ca";  // stage 3 with a target: the lab CA (lab ca init)
  bool json = false;
};

int run_attack_command(const AttackCommand& command);

}  // namespace lab::app

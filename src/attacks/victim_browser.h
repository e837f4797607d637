// The victim's browser for stage 5's browser attacks: in a fresh context of the shared browser (browser_host.h), the
// victim signs in through the sign-in form and plays one scenario of browser/victim_scenarios.cjs; what the browser
// did comes back as JSON facts for the attack's oracle.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "attacks/attack.h"

namespace lab::attacks {

struct VictimBrowser {
  std::string user;      // a lab user, signed in with the lab's password for it
  std::string scenario;  // open-project, cross-site-form, frame, same-site-read
  std::vector<std::pair<std::string, std::string>> options;  // "project": ID, "name": TEXT
};

// Runs the scenario against `target` (HTTPS, trusting its lab CA); the facts the browser gave, or why it could not
// run (no node, no Chromium, no driver: ./lab installs them). At most 120 s.
Result<Json> run_victim_browser(const Target& target, const VictimBrowser& run);

}  // namespace lab::attacks

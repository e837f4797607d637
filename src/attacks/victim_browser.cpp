#include "attacks/victim_browser.h"

#include "attacks/browser_host.h"
#include "client/client_profile.h"

namespace lab::attacks {

Result<Json> run_victim_browser(const Target& target, const VictimBrowser& run) {
  auto host = BrowserHost::shared();
  if (!host) return host.error();
  Json request{{"scenario", run.scenario},
               {"origin", "https://localhost:" + std::to_string(target.endpoint.port)},
               {"ca_dir", target.certificate_dir.string()},
               {"user", run.user},
               {"password", client::lab_password(run.user)}};
  for (const auto& [name, value] : run.options) request[name] = value;
  return (*host)->play(std::move(request), std::chrono::seconds(120));
}

}  // namespace lab::attacks

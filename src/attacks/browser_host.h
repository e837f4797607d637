// The victim's browser host: browser/victim_browser.cjs (node and playwright-core, installed by ./lab under
// browser/node_modules) running one Debian Chromium for every browser attack this process plays. Chromium starts
// once instead of once per attack, which is most of a browser attack's cost; each attack still gets a browser
// context of its own, as fresh as a new profile. The host is started on first use, started again if it has
// stopped since, and stopped with this process (it also stops by itself once its parent has gone).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/domain.h"
#include "core/result.h"
#include "core/temporary_directory.h"
#include "runner/process.h"

namespace lab::attacks {

class BrowserHost {
 public:
  // This process's host, started if none is running. Fails when node, Chromium or the driver is missing (./lab
  // installs them) or the host does not come up within a minute; the error quotes its log.
  static Result<std::shared_ptr<BrowserHost>> shared();

  BrowserHost(const BrowserHost&) = delete;
  BrowserHost& operator=(const BrowserHost&) = delete;
  ~BrowserHost();  // stops node, which closes Chromium

  // Plays one request ({"scenario", "origin", "ca_dir", "user", "password", ...}: browser/victim_browser.cjs) and
  // returns the facts; the host's error, or a timeout after `limit`. Safe to call from several threads at once.
  Result<Json> play(Json request, std::chrono::seconds limit);

  // Where the host listens (127.0.0.1): anyone on the host can knock there; only a request with the token is played.
  std::uint16_t port() const { return port_; }

 private:
  BrowserHost(TemporaryDirectory work, runner::ChildProcess process, std::uint16_t port, std::string token);
  static Result<std::shared_ptr<BrowserHost>> start();
  bool running();
  std::string log_tail() const;

  TemporaryDirectory work_;
  runner::ChildProcess process_;
  std::uint16_t port_;
  std::string token_;
};

}  // namespace lab::attacks

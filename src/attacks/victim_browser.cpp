#include "attacks/victim_browser.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "client/client_profile.h"
#include "core/file_io.h"
#include "core/temporary_directory.h"
#include "runner/process.h"

namespace lab::attacks {
namespace {

// Where browser/ is: LAB_BROWSER_DIR when set, else the source tree the lab was built from.
std::filesystem::path driver_dir() {
  if (const char* dir = std::getenv("LAB_BROWSER_DIR"); dir && *dir) return dir;
  return LAB_BROWSER_DIR;
}

}  // namespace

Result<Json> run_victim_browser(const Target& target, const VictimBrowser& run) {
  const auto dir = driver_dir();
  const auto script = dir / "victim_browser.cjs";
  if (!std::filesystem::exists(dir / "node_modules" / "playwright-core")) {
    return Error{ErrorCode::kInternalError, "the browser driver is not installed in " + dir.string() +
                                                " (./lab installs it: npm ci --ignore-scripts --prefix browser)"};
  }
  const auto node = runner::find_program("node");
  if (node.empty()) return Error{ErrorCode::kInternalError, "node is not installed (./lab installs it)"};
  const char* chromium = std::getenv("CHROMIUM_BINARY");
  const std::string browser = chromium && *chromium ? chromium : "/usr/bin/chromium";
  if (!std::filesystem::exists(browser)) {
    return Error{ErrorCode::kInternalError, browser + " is missing (./lab installs Debian's chromium)"};
  }
  auto work = TemporaryDirectory::create("lab_victim_browser_");
  if (!work) return work.error();
  const auto facts = work->path() / "facts.json";
  std::vector<std::string> args{script.string(),
                                run.scenario,
                                "--origin",
                                "https://localhost:" + std::to_string(target.endpoint.port),
                                "--ca-dir",
                                target.certificate_dir.string(),
                                "--user",
                                run.user,
                                "--password",
                                client::lab_password(run.user),
                                "--work",
                                work->path().string(),
                                "--out",
                                facts.string(),
                                "--chromium",
                                browser};
  for (const auto& [name, value] : run.options) {
    args.push_back("--" + name);
    args.push_back(value);
  }
  const auto log = work->path() / "driver.log";
  runner::ChildProcess driver = runner::ChildProcess::spawn(node, args, log);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (driver.running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const bool in_time = !driver.running();
  const int status = driver.terminate();
  if (!in_time || status != 0) {
    std::string said = read_file(log).value_or("");
    if (said.size() > 1500) said = said.substr(said.size() - 1500);
    return Error{ErrorCode::kInternalError, std::string("the victim's browser ") +
                                                (in_time ? "failed" : "took longer than 120 s") + ": " + said};
  }
  const Json parsed = Json::parse(read_file(facts).value_or(""), nullptr, false);
  if (!parsed.is_object()) return Error{ErrorCode::kInternalError, "the victim's browser wrote no facts"};
  return parsed;
}

}  // namespace lab::attacks

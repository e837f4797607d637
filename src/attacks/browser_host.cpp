#include "attacks/browser_host.h"

#include <cstdlib>
#include <mutex>

#include "core/file_io.h"
#include "net/line_client.h"
#include "runner/port_file.h"
#include "security/hmac.h"

namespace lab::attacks {
namespace {

// Where browser/ is: LAB_BROWSER_DIR when set, else the source tree the lab was built from.
std::filesystem::path driver_dir() {
  if (const char* dir = std::getenv("LAB_BROWSER_DIR"); dir && *dir) return dir;
  return LAB_BROWSER_DIR;
}

std::filesystem::path chromium_binary() {
  const char* chromium = std::getenv("CHROMIUM_BINARY");
  return chromium && *chromium ? chromium : "/usr/bin/chromium";
}

constexpr std::size_t kLogTailBytes = 1500;

std::string tail_of(const std::filesystem::path& log) {
  std::string said = read_file(log).value_or("");
  return said.size() > kLogTailBytes ? said.substr(said.size() - kLogTailBytes) : said;
}

}  // namespace

BrowserHost::BrowserHost(TemporaryDirectory work, runner::ChildProcess process, std::uint16_t port, std::string token)
    : work_(std::move(work)), process_(std::move(process)), port_(port), token_(std::move(token)) {}

BrowserHost::~BrowserHost() { process_.terminate(); }

Result<std::shared_ptr<BrowserHost>> BrowserHost::shared() {
  static std::mutex mutex;
  static std::shared_ptr<BrowserHost> host;
  std::lock_guard lock(mutex);
  if (host && host->running()) return host;
  host.reset();  // a host that stopped: whoever still holds it gets its errors, the next attack a new one
  auto started = start();
  if (!started) return started.error();
  host = std::move(*started);
  return host;
}

Result<std::shared_ptr<BrowserHost>> BrowserHost::start() {
  const auto dir = driver_dir();
  if (!std::filesystem::exists(dir / "node_modules" / "playwright-core")) {
    return Error{ErrorCode::kInternalError, "the browser driver is not installed in " + dir.string() +
                                                " (./lab installs it: npm ci --ignore-scripts --prefix browser)"};
  }
  const auto node = runner::find_program("node");
  if (node.empty()) return Error{ErrorCode::kInternalError, "node is not installed (./lab installs it)"};
  const auto chromium = chromium_binary();
  if (!std::filesystem::exists(chromium)) {
    return Error{ErrorCode::kInternalError, chromium.string() + " is missing (./lab installs Debian's chromium)"};
  }
  auto work = TemporaryDirectory::create("lab_victim_browser_");
  if (!work) return work.error();
  std::string token = security::random_hex(32);
  if (!write_file(work->path() / "token", token)) {
    return Error{ErrorCode::kInternalError, "cannot write the browser host's token in " + work->path().string()};
  }
  const auto log = work->path() / "host.log";
  auto process = runner::ChildProcess::spawn(
      node, {(dir / "victim_browser.cjs").string(), "--work", work->path().string(), "--chromium", chromium.string()},
      log);
  auto port = runner::wait_for_port_file(work->path() / "port", process, log, runner::kStartUpBound,
                                         "the victim's browser");
  if (!port) return Error{ErrorCode::kInternalError, port.error().message + ": " + tail_of(log)};
  return std::shared_ptr<BrowserHost>(new BrowserHost(std::move(*work), std::move(process), port->port, token));
}

bool BrowserHost::running() { return process_.running(); }

std::string BrowserHost::log_tail() const { return tail_of(work_.path() / "host.log"); }

Result<Json> BrowserHost::play(Json request, std::chrono::seconds limit) {
  request["token"] = token_;
  const auto failed = [&](const std::string& what) {
    return Error{ErrorCode::kInternalError, "the victim's browser " + what + "; its log ends: " + log_tail()};
  };
  net::LineClient client;
  if (auto connected = client.connect(net::ClientOptions{.port = port_, .timeout = limit}); !connected) {
    return failed("does not answer (" + connected.error().message + ")");
  }
  if (auto sent = client.send_line(request.dump()); !sent) return failed("took no request (" + sent.error().message + ")");
  const auto line = client.read_line(limit);
  if (!line) {
    return failed(client.peer_closed() ? "stopped during the scenario"
                                       : "took longer than " + std::to_string(limit.count()) + " s");
  }
  const Json reply = Json::parse(*line, nullptr, false);
  if (reply.is_object() && reply.contains("error")) {
    return Error{ErrorCode::kInternalError, "the victim's browser failed: " + reply["error"].dump()};
  }
  if (!reply.is_object() || !reply.contains("facts") || !reply["facts"].is_object()) {
    return failed("wrote no facts");
  }
  return reply["facts"];
}

}  // namespace lab::attacks

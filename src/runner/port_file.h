// Ports of the child processes the runner starts: the port file `lab serve --port-file` writes once it listens
// ("7103 tls"), waiting for it with a bound, and a free loopback port for a process that cannot pick its own
// (HAProxy's listeners). ProcessStage and Stage4Deployment both start `lab serve --port 0` and read it here.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/result.h"
#include "runner/process.h"

namespace lab::runner {

// What a port file says: the port, and the transport the stage speaks there ("tls" or "tcp").
struct PortFileEntry {
  std::uint16_t port = 0;
  std::string transport;
  bool tls() const { return transport == "tls"; }
};

// The port file's content; nullopt while it is missing or holds no port yet.
std::optional<PortFileEntry> read_port_file(const std::filesystem::path& file);

// Polls until `process` wrote `file`. When it exits first or `timeout` passes, the process is stopped and the
// error says why it refused to start (the last "error: ..." line of `log`) and where its log is; `what` names
// it ("stage 3", "coordinator 2").
// How long a child the lab starts (a stage, one of stage 4's instances, the victim's browser) may take to write its
// port file: a bound on start-up only, never part of a verdict. A sanitizer build of the lab on a loaded two-core
// machine has taken 16 s to load and listen, and a stage 4 instance, which reaches Redis through the Sentinels over
// TLS and loads the functions first, more than 20 s.
inline constexpr std::chrono::seconds kStartUpBound{60};

Result<PortFileEntry> wait_for_port_file(const std::filesystem::path& file, ChildProcess& process,
                                         const std::filesystem::path& log, std::chrono::milliseconds timeout,
                                         const std::string& what);

// A 127.0.0.1 port nothing listens on right now (the kernel's pick for a socket bound to port 0). Another
// process may take it before the caller binds it: start with it, and try another if the start fails.
Result<std::uint16_t> free_loopback_port();

}  // namespace lab::runner

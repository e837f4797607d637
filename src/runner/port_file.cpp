#include "runner/port_file.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace lab::runner {
namespace {

// Why a stage that exited at start-up refused to run: the last "error: ..." line of its log, or "".
std::string start_refusal_in(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.starts_with("error: ")) last = line.substr(7);
  }
  return last;
}

}  // namespace

std::optional<PortFileEntry> read_port_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  unsigned port = 0;
  if (!in || !(in >> port) || port == 0 || port > 65535) return std::nullopt;
  PortFileEntry entry{.port = static_cast<std::uint16_t>(port)};
  in >> entry.transport;
  return entry;
}

Result<PortFileEntry> wait_for_port_file(const std::filesystem::path& file, ChildProcess& process,
                                         const std::filesystem::path& log, std::chrono::milliseconds timeout,
                                         const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // `lab serve` renames the finished file into place, so a file that exists is complete.
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto entry = read_port_file(file)) return *entry;
    if (!process.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process.terminate();
  const std::string why = start_refusal_in(log);
  return Error{ErrorCode::kInternalError,
               what + " did not start" + (why.empty() ? std::string() : ": " + why) + "; see " + log.string()};
}

Result<std::uint16_t> free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{ErrorCode::kInternalError, "socket() failed"};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) return Error{ErrorCode::kInternalError, "cannot find a free loopback port"};
  return ntohs(address.sin_port);
}

}  // namespace lab::runner

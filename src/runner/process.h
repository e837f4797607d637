// Child processes of the lab binary itself (the demo runs every agent as a
// separate process, as a class would).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace lab::runner {

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();  // terminates a still-running child

  // Starts `binary` with `args`, stdout and stderr appended to `log_file`. Throws if it cannot start.
  static ChildProcess spawn(const std::filesystem::path& binary, const std::vector<std::string>& args,
                            const std::filesystem::path& log_file);
  // The same with this executable.
  static ChildProcess spawn_self(const std::vector<std::string>& args, const std::filesystem::path& log_file);

  bool running();
  pid_t pid() const { return pid_; }
  // SIGTERM, then SIGKILL after `grace`. Returns the exit status (or -signal).
  int terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  // SIGTERM without waiting: several children asked first, then each terminate()d, stop side by side.
  void ask_to_stop();
  // SIGKILL now (a crash, as far as the child can tell).
  void kill_now();

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  int reap(bool block);

  pid_t pid_ = -1;
  int status_ = 0;
};

std::filesystem::path self_executable();
// `name` on the PATH (e.g. "redis-server"); empty when it is not installed.
std::filesystem::path find_program(const std::string& name);

}  // namespace lab::runner

// The directory an in-process stage 3-5 server of one test lives in: a fresh lab CA as `lab ca init` makes it (the
// server's certificate, each lab user's and the insider's), the stage's state and audit log, all removed with the
// test. `configure` gives such a server the settings every test shares.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "client/client_profile.h"
#include "coordinator/stage_config.h"
#include "core/clock.h"
#include "security/lab_ca_directory.h"

namespace lab::test {

class LabCaTestDirectory {
 public:
  explicit LabCaTestDirectory(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a directory like " + pattern);
    dir_ = pattern;
    if (auto made = security::prepare_lab_ca_directory(ca_dir(), client::lab_certificate_holders()); !made) {
      throw std::runtime_error(made.error().message);
    }
  }
  ~LabCaTestDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  LabCaTestDirectory(const LabCaTestDirectory&) = delete;
  LabCaTestDirectory& operator=(const LabCaTestDirectory&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path ca_dir() const { return dir_ / "ca"; }

  // An ephemeral loopback port, state and audit log here (unless the test chose a place), this CA, Argon2 hashes
  // made with 64 KiB (fast; unless the test asks for more), and the test's clock.
  void configure(coordinator::StageConfig& config, const Clock& clock) const {
    config.port = 0;
    if (config.state_dir.empty()) config.state_dir = dir_;
    config.certificate_dir = ca_dir().string();
    if (config.argon2_memory_kib == 0) config.argon2_memory_kib = 64;
    config.clock = &clock;
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace lab::test

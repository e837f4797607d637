// ProcessStage: a stage's coordinator as a child process (`lab serve`) in a
// work directory of its own — what attacks that crash, restart or read the
// host's files act on.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "runner/process.h"

namespace lab::runner {

struct ProcessStageOptions {
  int stage = 1;
  std::filesystem::path binary;    // the lab executable
  std::filesystem::path work_dir;  // emptied, then holds state/, the port file and the log
  attacks::StageSettings settings;
  int threads = 2;
  // Controls of the stage's chain switched off (`--disable-control`), for an ablation run.
  std::vector<std::string> disabled_controls;
};

class ProcessStage final : public attacks::StageControl {
 public:
  static Result<std::unique_ptr<ProcessStage>> start(const ProcessStageOptions& options);
  ~ProcessStage() override;

  net::ClientOptions endpoint() const override;
  std::filesystem::path state_dir() const override;
  // Stages with mutual TLS: the lab CA this process was given (work_dir/ca, made fresh by start()); empty otherwise.
  std::filesystem::path certificate_dir() const { return certificate_dir_; }
  void crash() override;
  Status stop() override;
  Status restart() override;

  std::filesystem::path log_file() const { return options_.work_dir / "coordinator.log"; }

 private:
  explicit ProcessStage(ProcessStageOptions options) : options_(std::move(options)) {}
  Status launch();

  ProcessStageOptions options_;
  ChildProcess process_;
  std::uint16_t port_ = 0;
  bool tls_ = false;  // what the stage wrote beside its port: "tls" or "tcp"
  std::filesystem::path certificate_dir_;
};

}  // namespace lab::runner

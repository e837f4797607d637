// ProcessStage: a stage's coordinator as a child process (`lab serve`) in a
// work directory of its own — what attacks that crash, restart or read the
// host's files act on. Stage 4 is two coordinator instances (`lab serve --stage
// 4 --redis ...`) on a Redis of the cell's own (TLS, the coordinators' ACL user,
// AOF in work_dir/redis/primary), so that an attack can hop between instances
// and reach the store itself; the second instance starts when an attack first
// asks for it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "attacks/attack.h"
#include "runner/process.h"
#include "runner/redis_deployment.h"

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
  // Stage 4: both instances (the whole tier of coordinators); Redis keeps running.
  void crash() override;
  Status stop() override;
  Status restart() override;
  std::optional<net::ClientOptions> other_instance() override;
  std::optional<attacks::SharedStore> shared_store() const override;

  std::filesystem::path log_file() const { return options_.work_dir / "coordinator.log"; }

 private:
  // One coordinator process: the first writes coordinator.port/.log and keeps state/; a second instance (stage
  // 4) the same names with "-b".
  struct Instance {
    std::string suffix;
    bool wanted = true;  // started with the stage (and again by restart); the second only once asked for
    ChildProcess process;
    std::uint16_t port = 0;
    bool tls = false;  // what the stage wrote beside its port: "tls" or "tcp"
  };

  explicit ProcessStage(ProcessStageOptions options) : options_(std::move(options)) {}
  Status launch();
  Status spawn(Instance& instance);
  Status wait_until_listening(Instance& instance);
  // SIGTERM to every instance, then each waited for; the first non-zero exit status, or 0.
  int stop_instances();
  std::filesystem::path port_file(const Instance& instance) const;
  std::filesystem::path log_file(const Instance& instance) const;
  net::ClientOptions endpoint_of(const Instance& instance) const;

  ProcessStageOptions options_;
  std::vector<Instance> instances_;
  std::filesystem::path certificate_dir_;
  std::optional<RedisDeployment> redis_;  // stage 4's store
};

}  // namespace lab::runner

#include "stage_registry.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "stage1_insecure/stage1.h"
#include "stage2_improved/stage2.h"
#include "stage3_secure/stage3.h"
#include "stage4_distributed/stage4.h"
#include "stage5_web/stage5.h"
#include "client/client_profile.h"
#include "coordinator/serve_options.h"
#include "security/lab_ca_directory.h"

namespace lab::stages {

const std::vector<StageInfo>& implemented_stages() {
  static const std::vector<StageInfo> stages{
      {1, "insecure", stage1::kDefaultPort, true, &stage1::make_server},
      {2, "improved", stage2::kDefaultPort, true, &stage2::make_server},
      {3, "secure", stage3::kDefaultPort, false, &stage3::make_server},
      {4, "distributed", stage4::kDefaultPort, false, &stage4::make_server},
      {5, "web", stage5::kDefaultPort, false, &stage5::make_server},
  };
  return stages;
}

namespace {

// Served, but not yet proven by the attack matrix: no document shows it as working until it is. None today.
const std::vector<StageInfo>& stages_in_progress() {
  static const std::vector<StageInfo> stages{};
  return stages;
}

}  // namespace

const StageInfo* find_servable_stage(int number) {
  if (const StageInfo* built = find_stage(number)) return built;
  for (const auto& s : stages_in_progress()) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

std::string unavailable_stage(int number) {
  std::string built;
  for (const auto& s : implemented_stages()) {
    built += (built.empty() ? "" : ", ") + std::to_string(s.number) + " (" + s.name + ")";
  }
  for (const auto& s : stages_in_progress()) {
    if (s.number == number) {
      return "stage " + std::to_string(number) + " (" + s.name + ") is being built: `lab serve --stage " +
             std::to_string(number) + "` runs it, but no attack has been proven against it yet; the stages in the " +
             "matrix are " + built;
    }
  }
  return "there is no stage " + std::to_string(number) + "; the built stages are " + built;
}

const StageInfo* find_stage(int number) {
  for (const auto& s : implemented_stages()) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

Result<std::unique_ptr<coordinator::CoordinatorServer>> compose_stage(int number,
                                                                     const coordinator::StageConfig& config) {
  const StageInfo* stage = find_servable_stage(number);
  if (!stage) return Error{ErrorCode::kInvalidField, "stage " + std::to_string(number) + " is not implemented yet"};
  // Each stage reads its own rows of the serve-options table; an option it would ignore is refused.
  if (auto s = coordinator::check_options_for_stage(config, number); !s) return s.error();
  try {
    return stage->make_server(config);  // with config.disabled_controls switched off
  } catch (const std::invalid_argument& e) {
    return Error{ErrorCode::kInvalidField, e.what()};
  }
}

std::unique_ptr<coordinator::CoordinatorServer> make_stage_server(int number, const coordinator::StageConfig& config) {
  auto server = compose_stage(number, config);
  return server ? std::move(*server) : nullptr;
}

Result<InspectedStage> InspectedStage::compose(int number) {
  InspectedStage inspected;
  coordinator::StageConfig config;
  if (client::profile_for(number).uses_certificates()) {
    auto dir = TemporaryDirectory::create("lab_inspect_");
    if (!dir) {
      return Error{ErrorCode::kInternalError,
                   "cannot compose stage " + std::to_string(number) + ": " + dir.error().message};
    }
    const std::filesystem::path root = dir->path();
    inspected.dir_ = std::move(*dir);
    auto made = security::prepare_lab_ca_directory(root / "ca", client::lab_certificate_holders());
    if (!made) return made.error();
    config.certificate_dir = (root / "ca").string();
    config.state_dir = root / "state";
    std::filesystem::create_directories(config.state_dir);
    config.argon2_memory_kib = 64;  // the accounts' hashes are made and thrown away: no need to make them slowly
  }
  if (number == 4) {
    // Stage 4 composes only over a Redis it can reach: a single node of its own, for as long as this lives.
    auto redis = runner::RedisDeployment::start(
        {.work_dir = inspected.dir_->path() / "redis", .ca_dir = config.certificate_dir,
         .with_replica_and_sentinels = false});
    if (!redis) return Error{ErrorCode::kInternalError, "cannot compose stage 4: " + redis.error().message};
    inspected.redis_.emplace(std::move(*redis));
    config.redis = inspected.redis_->primary().to_string();
    config.redis_password_file = inspected.redis_->password_file().string();
  }
  // Composing tells the operator where its files go and what its Redis lacks; these are temporary and nobody's
  // business.
  const auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::err);
  auto server = compose_stage(number, config);
  spdlog::set_level(level);
  if (!server) return server.error();
  inspected.server_ = std::move(*server);
  return inspected;
}

}  // namespace lab::stages

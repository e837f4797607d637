#include "stage_registry.h"

#include <stdexcept>

#include "stage1_insecure/stage1.h"
#include "stage2_improved/stage2.h"
#include "coordinator/serve_options.h"

namespace lab::stages {

const std::vector<StageInfo>& implemented_stages() {
  static const std::vector<StageInfo> stages{
      {1, "insecure", stage1::kDefaultPort, true, &stage1::make_server},
      {2, "improved", stage2::kDefaultPort, true, &stage2::make_server},
  };
  return stages;
}

const StageInfo* find_stage(int number) {
  for (const auto& s : implemented_stages()) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

Result<std::unique_ptr<coordinator::CoordinatorServer>> compose_stage(int number,
                                                                     const coordinator::StageConfig& config) {
  const StageInfo* stage = find_stage(number);
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

}  // namespace lab::stages

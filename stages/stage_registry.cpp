#include "stage_registry.h"

#include "stage1_insecure/stage1.h"
#include "stage2_improved/stage2.h"

namespace lab::stages {

const std::vector<StageInfo>& implemented_stages() {
  static const std::vector<StageInfo> stages{
      {1, "insecure", stage1::kDefaultPort, true, &stage1::make_server},
      {2, "improved", stage2::kDefaultPort, true, [](const coordinator::StageConfig& c) { return stage2::make_server(c); }},
  };
  return stages;
}

const StageInfo* find_stage(int number) {
  for (const auto& s : implemented_stages()) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

std::unique_ptr<coordinator::CoordinatorServer> make_stage_server(int number, const coordinator::StageConfig& config) {
  const StageInfo* stage = find_stage(number);
  return stage ? stage->make_server(config) : nullptr;
}

}  // namespace lab::stages

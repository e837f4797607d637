#include "stage_registry.h"

#include "stage1_insecure/stage1.h"
#include "stage2_improved/stage2.h"

namespace lab::stages {

const std::vector<StageInfo>& implemented_stages() {
  static const std::vector<StageInfo> stages{
      {1, "insecure", stage1::kDefaultPort, true},
      {2, "improved", stage2::kDefaultPort, true},
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
  switch (number) {
    case 1:
      return stage1::make_server(config);
    case 2:
      return stage2::make_server(config);
    default:
      return nullptr;
  }
}

}  // namespace lab::stages

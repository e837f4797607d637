#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/memory_store_set.h"
#include "unit/store/store_implementations.h"

namespace lab::store::testing {

std::vector<StoreImplementation> store_implementations() {
  auto all = in_process_store_implementations();
  for (auto& redis : redis_store_implementations()) all.push_back(std::move(redis));
  return all;
}

std::vector<StoreImplementation> in_process_store_implementations() {
  return {
      {"Memory", [] { return std::make_shared<MemoryStoreSet>(); }},
      // The same stores reporting every change to a state file (written behind,
      // so that thousands of changes do not each rewrite it): recording a
      // change must never change what the store answers.
      {"MemoryWithStateFile",
       [] {
         static int n = 0;
         const auto path = std::filesystem::path(::testing::TempDir()) /
                           ("store-contract-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".json");
         std::filesystem::remove(path);
         return std::make_shared<MemoryStoreSet>(
             system_clock(), StateFileOptions{.path = path, .write_behind = std::chrono::milliseconds(20)});
       }},
  };
}

}  // namespace lab::store::testing

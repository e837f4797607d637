// Lookup in a constant table of (enum value, wire name) pairs, both ways.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace lab {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// The name of `value`, or `fallback` when the table lacks it.
template <class E, std::size_t N>
constexpr std::string_view name_of(const NameTable<E, N>& table, E value, std::string_view fallback) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return fallback;
}

template <class E, std::size_t N>
constexpr std::optional<E> value_of(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace lab

// The files of data/sample_data/, embedded at build time so the demo and the
// attacks run from anywhere on their defaults.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace lab::samples {

// Content of data/sample_data/<name>, or nullopt for an unknown name.
std::optional<std::string_view> sample_file(std::string_view name);
std::vector<std::string_view> sample_names();

}  // namespace lab::samples

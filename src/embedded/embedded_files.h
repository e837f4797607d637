// Data files embedded at build time (data/sample_data/*.json as
// "sample_data/<name>", catalog/*.json as "catalog/<name>", stage 4's Redis
// function libraries data/redis/*.lua as "redis/<name>"), so every command
// runs from anywhere on the lab's own defaults.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace lab::embedded {

std::optional<std::string_view> file(std::string_view path);
std::vector<std::string_view> paths();

}  // namespace lab::embedded

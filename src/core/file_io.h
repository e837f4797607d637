// Whole-file reads and writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace lab {

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path& path);
// Replaces the file's content; false when it cannot be written.
bool write_file(const std::filesystem::path& path, std::string_view content);

}  // namespace lab

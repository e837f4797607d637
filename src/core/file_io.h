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
// Replaces the file's content all at once: writes a temporary file beside it,
// flushes it to disk, renames it over `path` and flushes the directory, so a
// crash leaves either the old content or the new, never a torn mix. New files
// get `mode` (before the umask). On failure returns why, and `path` is intact.
std::optional<std::string> replace_file_atomically(const std::filesystem::path& path, std::string_view content,
                                                   unsigned mode = 0644);

}  // namespace lab

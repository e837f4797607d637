// TemporaryDirectory: a directory of one's own under the system's temporary
// directory (mkdtemp, mode 0700), removed with everything in it when the
// object goes. For what a command, an attack or a test only needs for a while:
// a lab CA made to compose a stage, an attacker's own CA, a test's state.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/result.h"

namespace lab {

class TemporaryDirectory {
 public:
  // A new directory named `<prefix>XXXXXX`; INTERNAL_ERROR when it cannot be made.
  [[nodiscard]] static Result<TemporaryDirectory> create(std::string_view prefix);

  TemporaryDirectory(TemporaryDirectory&& other) noexcept;
  TemporaryDirectory& operator=(TemporaryDirectory&& other) noexcept;
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory();  // removes the directory and everything in it

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TemporaryDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();

  std::filesystem::path path_;  // empty once moved from
};

}  // namespace lab

// `lab docs [--check]`: writes (or checks) the documents generated from the catalog.
#pragma once

#include <filesystem>

namespace lab::app {

// 0 when written (or, with check, when every file is up to date); 1 otherwise.
int run_docs_command(const std::filesystem::path& root, bool check);

}  // namespace lab::app

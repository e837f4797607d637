// Command-line errors that name what was typed: an unknown option or command
// is named with the closest one that exists, before CLI11's own complaint
// about what is missing (which would otherwise hide the typo: `serve --stag 3`
// is first of all an unknown option, not a missing --stage).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace lab::app {

// Parses argv into `app`. On a parse error, prints the clearest explanation to stderr and returns the exit code to
// leave with; returns -1 when parsing succeeded (or --help was printed: then 0).
int parse_command_line(CLI::App& app, int argc, char** argv);

// The name among `candidates` closest to `typed` (edit distance at most 2, or one is a prefix of the other), or "".
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

}  // namespace lab::app

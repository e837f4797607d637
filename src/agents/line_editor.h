// Line editing and history for the interactive client at a terminal (BSD
// libedit, through its readline interface): arrow keys, Ctrl-A/E, and the
// answers given earlier in the session one Up-arrow away. Only for answers
// that are not secret: a password is read with the terminal's echo off and is
// never added to the history.
#pragma once

#include <optional>
#include <string>

namespace lab::agents {

// Shows `prompt`, lets the user edit one line, and returns it (without its newline) after adding it to the
// history if it is not empty; nullopt at end of input (Ctrl-D).
std::optional<std::string> read_edited_line(const std::string& prompt);

}  // namespace lab::agents

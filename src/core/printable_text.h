// Text from peers, made safe to show in a log line or on a terminal.
//
// A project name or an agent id is whatever a peer sent. Written raw, a
// newline forges a log record ("... info login: admin (admin)") and an escape
// sequence drives the reader's terminal (OSC 52 writes the clipboard, CSI
// rewrites the screen). printable() keeps ordinary text, including any
// non-ASCII letter, and turns everything else into a visible escape:
//   C0 controls and DEL            \n \r \t \x1b ...
//   C1 controls U+0080..U+009F     \u009b ...
//   bidirectional overrides        \u202e ... (text that reads differently than it is)
//   bytes that are not UTF-8       \xff ...
#pragma once

#include <string>
#include <string_view>

namespace lab {

// One value on one line: newlines and tabs are escaped too.
std::string printable(std::string_view text);
// Multi-line text a person reads (a task's description): keeps '\n' and '\t'.
std::string printable_lines(std::string_view text);

}  // namespace lab

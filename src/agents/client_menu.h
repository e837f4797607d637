// The interactive client: the seed's numbered menu of normal operations and
// attack demonstrations. Reads answers from any stream, so a script file
// drives it exactly like a person at the keyboard.
#pragma once

#include <iosfwd>

#include "net/line_client.h"

namespace lab::agents {

struct ClientMenuOptions {
  int stage = 1;
  net::ClientOptions endpoint;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  bool echo_answers = false;  // print each answer after its prompt (script mode); a password as asterisks
  bool hide_secrets = false;  // turn the terminal's echo off while a password is typed (interactive use)
  bool edit_lines = false;    // read answers with line editing and history (a terminal; `in` is then unused)
};

// Returns the process exit status: 0 on "quit" or end of input, 1 when the
// coordinator cannot be reached.
int run_client_menu(const ClientMenuOptions& options);

}  // namespace lab::agents

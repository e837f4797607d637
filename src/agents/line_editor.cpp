#include "agents/line_editor.h"

#include <editline/readline.h>

#include <cstdlib>
#include <memory>

namespace lab::agents {

std::optional<std::string> read_edited_line(const std::string& prompt) {
  const std::unique_ptr<char, decltype(&std::free)> line(::readline(prompt.c_str()), &std::free);
  if (!line) return std::nullopt;
  std::string text(line.get());
  if (!text.empty()) ::add_history(text.c_str());
  return text;
}

}  // namespace lab::agents

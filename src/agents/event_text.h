// One line of plain text for an event of the coordinator's stream, as the
// auditor prints it: what happened, to what, by whom, from where — task
// lifecycle, sessions, role changes, refusals. Event fields come from peers
// (names, claimed agent ids); the caller passes the line through printable()
// before it reaches a terminal.
#pragma once

#include <string>

#include "core/domain.h"

namespace lab::agents {

std::string event_text(const Json& event);

}  // namespace lab::agents

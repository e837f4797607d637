// Factories of the individual attacks (one file each).
#pragma once

#include <memory>

#include "attacks/attack.h"

namespace lab::attacks {

std::unique_ptr<Attack> make_hijack_stolen_session();
std::unique_ptr<Attack> make_session_fixation();
std::unique_ptr<Attack> make_stale_permissions();

}  // namespace lab::attacks

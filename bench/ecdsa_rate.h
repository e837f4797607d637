// The yardstick of stage 3's request path: ECDSA P-256 verifications per CPU
// second on one core, made the way the stage's signature guard makes them —
// a key parsed once, the signature base of a signed get_project request,
// its DER signature — and timed by this thread's CPU clock.
#pragma once

#include <chrono>

#include "core/result.h"

namespace lab::bench {

// Verifies for about `cpu_budget` of CPU time (and at most 1,000,000 times).
Result<double> ecdsa_verifications_per_cpu_second(std::chrono::milliseconds cpu_budget);

}  // namespace lab::bench

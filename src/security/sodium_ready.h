// libsodium is initialised once per process before its first use (it picks
// its implementations and opens the CSPRNG); every wrapper calls this first.
#pragma once

namespace lab::security {

// Idempotent and thread-safe; aborts the process if libsodium cannot start (no CSPRNG: nothing here is safe).
void ensure_sodium_ready();

}  // namespace lab::security

// Session validation at scale, in process: stage 3's session policy
// (stage3::SecureSessions) over the session store the stage runs on
// (store::MemoryStoreSet, in memory), holding N live sessions, doing what the
// chain's SessionGuard does for every request — authenticate(): decode the
// 256-bit id, hash it, look the hash up, check both lifetimes, build the
// caller — and what follows an accepted request, on_accepted() (the touch).
//
// The table is shaped by the stage's own limit: at most 3 live sessions per
// agent, so N sessions belong to N/3 agents, each with a certificate
// fingerprint and an address of its own. Bytes per session are the
// allocator's bytes in use (glibc mallinfo2().uordblks, chunk overhead
// included) before and after the N inserts, divided by N.
#pragma once

#include <chrono>
#include <memory>

#include "core/result.h"

namespace lab::bench {

struct SessionValidationOptions {
  int sessions = 1'000'000;
  std::chrono::milliseconds cpu_budget{300};  // per round (each of the two loops)
};

class SessionValidation {
 public:
  // Builds the table (about 3 s for a million sessions).
  static Result<std::unique_ptr<SessionValidation>> prepare(const SessionValidationOptions& options);
  ~SessionValidation();

  int sessions() const;
  double bytes_per_session() const;
  struct Rates {
    double validations_per_cpu_second = 0;  // the policy's path, store included
    double lookups_per_cpu_second = 0;      // the store's share alone: summary + touch by the stored hash
    double decodes_per_cpu_second = 0;      // the id's share alone: base64url decode (libsodium) + SHA-256 (OpenSSL)
  };
  // One round, by this thread's CPU clock, over sessions spread across the whole table.
  Result<Rates> round();

 private:
  struct State;
  explicit SessionValidation(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace lab::bench

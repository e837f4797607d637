// Stage 3's signed requests against their yardsticks, in one run: the same
// client (session_load) reads a project with 4 tasks from stage 1 and from
// stage 3, each a `lab serve` process on one io thread. Stage 3 runs as it
// runs (mutual TLS, every request ECDSA-signed with a fresh nonce, sealed
// journal) except for its two request-rate limits, switched off: they cap an
// agent at 100 requests/s by design, which would measure the cap, not the
// path. Every reader connects from a loopback address of its own
// (127.0.0.20, .21, ...), as agents on separate hosts would.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>

#include "core/result.h"

namespace lab::bench {

struct SignedRequestOptions {
  int connections = 4;
  int requests = 1500;  // per connection, stage and round
  int pipeline = 1;     // requests written together per connection
  std::filesystem::path work_dir = "out/bench/stage3";
  std::filesystem::path binary;  // the lab executable; empty = this one
};

struct SignedRequestRound {
  double stage1_requests_per_second = 0;
  double stage3_requests_per_second = 0;
  double stage1_server_us = 0;  // server CPU per request
  double stage3_server_us = 0;
  double stage3_client_cpu_share = 0;
  std::uint64_t failed = 0;
};

class SignedRequests {
 public:
  // Starts both stages, makes the project and logs every reader in.
  static Result<std::unique_ptr<SignedRequests>> prepare(const SignedRequestOptions& options);
  ~SignedRequests();

  // Signs the round's requests (before the clock starts), then loads stage 1 and stage 3 in turn.
  Result<SignedRequestRound> round();

 private:
  struct Stage;
  explicit SignedRequests(SignedRequestOptions options);
  SignedRequestOptions options_;
  std::unique_ptr<Stage> stage1_, stage3_;
  int sent_ = 0;  // request ids are unique over the run
};

}  // namespace lab::bench

// Logins on stage 3 while a login flood is under way. The stage runs as it
// runs (mutual TLS, Argon2id at its parameters, every throttle, the lockout,
// the sealed journal) as a `lab serve` process. Flooders connect from
// 127.0.0.100, .101, ... with the insider's certificate (a lab certificate,
// no account) and send logins with a wrong password as fast as they are
// answered; meanwhile legitimate agents log in from addresses of their own
// (127.0.<10+client>.x, a fresh address every few logins so the per-address
// login throttle, 1/s after a burst of 10, does not refuse them) and each
// login request's round trip is timed. Loopback only; bounded by counts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/result.h"

namespace lab::bench {

struct LoginLatencyOptions {
  int clients = 2;   // legitimate agents logging in side by side
  int logins = 8;    // per agent and round
  int flooders = 4;  // flooding addresses
  std::filesystem::path work_dir = "out/bench/stage3";
  std::filesystem::path binary;  // the lab executable; empty = this one
};

struct LoginRound {
  double p50_ms = 0;
  double p99_ms = 0;
  double logins_per_second = 0;  // legitimate logins, all agents together, over the round's wall time
  int failed = 0;                // legitimate logins refused
  std::uint64_t flood_attempts = 0;
  double flood_per_second = 0;
  std::map<std::string, std::uint64_t> flood_answers;  // wire code -> count ("ok" should never appear)
};

class LoginLatency {
 public:
  static Result<std::unique_ptr<LoginLatency>> prepare(const LoginLatencyOptions& options);
  ~LoginLatency();
  Result<LoginRound> round();

 private:
  struct State;
  explicit LoginLatency(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace lab::bench

// The figures of `lab bench stage3`, one line each: the figure, its median
// over the rounds with the range, and the goal it is judged by.
#include <iomanip>
#include <ostream>
#include <sstream>

#include "stage3_bench.h"

namespace lab::bench {
namespace {

void figure(std::ostream& out, const std::string& what, const Spread& s, int decimals, const std::string& unit,
            const std::string& goal) {
  print_figure(out, what, s, decimals, unit, goal);
}
void note(std::ostream& out, const std::string& text) { print_note(out, text); }
std::string number(double v, int decimals) { return fixed(v, decimals); }

}  // namespace

void print_stage3(const Stage3Figures& f, const Stage3Options& o, std::ostream& out) {
  const auto& r = o.requests;
  out << "\nstage 3 against its yardsticks: median of " << o.rounds
      << " interleaved round(s) [min .. max]; ratios are taken within each round\n\n";
  figure(out, "1 signed requests/s per server core / ECDSA P-256 verifications/s", f.signed_over_ecdsa, 2, "",
         ">= 0.6");
  note(out, "stage 3: " + number(f.stage3_per_server_core_second.median(), 0) + " get_project per server CPU second (" +
                number(f.stage3_server_us.median(), 1) + " µs each, /proc/PID/stat); ECDSA P-256: " +
                number(f.ecdsa_per_cpu_second.median(), 0) + " verifications per CPU second, in process");
  figure(out, "2 requests/s, stage 3 / stage 1 (get_project, 4 tasks)", f.stage3_over_stage1, 2, "", ">= 0.3");
  note(out, "stage 1: " + number(f.stage1_requests_per_second.median(), 0) + "/s (" +
                number(f.stage1_server_us.median(), 1) + " µs server CPU each); stage 3: " +
                number(f.stage3_requests_per_second.median(), 0) + "/s; " + std::to_string(r.connections) +
                " connections x " + std::to_string(r.requests) + " requests, " + std::to_string(r.pipeline) +
                " in flight each, one io thread; " + std::to_string(f.failed_requests) + " failed");
  if (f.ecdsa_per_cpu_second.measured() && f.stage1_server_us.measured()) {
    // Stage 3 verifies one ECDSA signature per request: even if nothing else cost anything, its requests/s could
    // not pass stage 1's CPU per request over that plus one verification.
    const double verify_us = 1e6 / f.ecdsa_per_cpu_second.median();
    const double stage1_us = f.stage1_server_us.median();
    note(out, "ceiling on this machine with one ECDSA P-256 verification per request (" + number(verify_us, 1) +
                  " µs) and nothing else added: " + number(stage1_us / (stage1_us + verify_us), 2));
  }
  note(out, "stage 3 as it runs (mutual TLS, a fresh nonce per request, sealed journal), its two request-rate "
            "limits off: they cap an agent at 100/s");
  figure(out, "3 session validations/s per core, " + std::to_string(f.sessions) + " live sessions",
         f.validations_per_cpu_second, 0, "", ">= 2000000");
  out << "  " << std::left << std::setw(66) << "  bytes per live session (allocator: mallinfo2 in-use delta)"
      << std::right << std::setw(10)
      << (f.bytes_per_session > 0 ? number(f.bytes_per_session, 0) : std::string("-"))
      << (f.bytes_per_session > 0 ? "  (goal <= 256)\n" : "  (this allocator keeps no counts: a sanitizer build?)\n");
  note(out, "SecureSessions::authenticate + on_accepted (what SessionGuard and an accepted request do) on "
            "the in-memory store; 3 sessions per agent");
  note(out, "the store's share alone (summary + touch by the stored hash): " +
                number(f.store_lookups_per_cpu_second.median(), 0) + " per CPU second");
  note(out, "the id's share alone (base64url decode by libsodium, SHA-256 by OpenSSL): " +
                number(f.id_decodes_per_cpu_second.median(), 0) + " per CPU second");
  figure(out, "4 durable task writes/s (sealed journal) / raw SQLite FULL commits/s", f.durable_ratio, 2, "",
         ">= 1.0");
  note(out, "raw: " + number(f.raw_commits_per_second.median(), 0) + " commits/s, one thread; journal: " +
                number(f.journal_acks_per_second.median(), 0) + " acknowledged writes/s from " +
                std::to_string(o.durable_writers) + " writers (group commit)");
  const std::string flooded = "under a login flood from " + std::to_string(o.logins.flooders) + " addresses";
  figure(out, "5 login latency p50 under a login flood (stage 3's Argon2id)", f.login_p50_ms, 1, " ms",
         "none: reported");
  figure(out, "  login latency p99", f.login_p99_ms, 1, " ms", "none: reported");
  figure(out, "  logins/s (" + std::to_string(o.logins.clients) + " agents side by side)", f.logins_per_second, 1, "",
         "none: reported");
  std::string answers;
  for (const auto& [code, n] : f.flood_answers) {
    answers += (answers.empty() ? "" : ", ") + code + " " + std::to_string(n);
  }
  note(out, flooded + ": " + number(f.flood_per_second.median(), 0) + " attempts/s answered " +
                (answers.empty() ? "nothing" : answers) + "; " + std::to_string(f.failed_logins) +
                " legitimate logins refused");
  for (const auto& p : f.problems) out << "  not measured: " << p << "\n";
}

}  // namespace lab::bench

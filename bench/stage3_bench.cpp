#include "stage3_bench.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <ostream>

#include "durable_writes.h"
#include "ecdsa_rate.h"

namespace lab::bench {
namespace {

// The five measurements, each set up once; a null part could not be set up (its reason is in `problems`).
struct Parts {
  std::unique_ptr<SignedRequests> requests;
  std::unique_ptr<SessionValidation> validation;
  std::unique_ptr<LoginLatency> logins;
};

template <class T>
std::unique_ptr<T> set_up(Result<std::unique_ptr<T>> made, const std::string& what, Stage3Figures& f,
                          std::ostream& log) {
  if (!made) {
    f.problems.push_back(what + ": " + made.error().message);
    log << "  " << f.problems.back() << std::endl;
    return nullptr;
  }
  return std::move(*made);
}

void requests_round(const Stage3Options& o, SignedRequests& requests, Stage3Figures& f) {
  auto verifies = ecdsa_verifications_per_cpu_second(o.ecdsa_cpu_budget);
  auto r = requests.round();
  if (!verifies || !r) {
    f.problems.push_back("signed requests: " + (!verifies ? verifies.error() : r.error()).message);
    return;
  }
  const double per_core = r->stage3_server_us > 0 ? 1e6 / r->stage3_server_us : 0;
  f.ecdsa_per_cpu_second.rounds.push_back(*verifies);
  f.stage3_per_server_core_second.rounds.push_back(per_core);
  f.signed_over_ecdsa.rounds.push_back(ratio(per_core, *verifies));
  f.stage1_requests_per_second.rounds.push_back(r->stage1_requests_per_second);
  f.stage3_requests_per_second.rounds.push_back(r->stage3_requests_per_second);
  f.stage3_over_stage1.rounds.push_back(ratio(r->stage3_requests_per_second, r->stage1_requests_per_second));
  f.stage1_server_us.rounds.push_back(r->stage1_server_us);
  f.stage3_server_us.rounds.push_back(r->stage3_server_us);
  f.failed_requests += r->failed;
}

void durable_round(const Stage3Options& o, Stage3Figures& f) {
  auto d = measure_durable_writes(o.work_dir / "stage3" / "durable", o.durable_writers, o.durable_writes, 1);
  if (!d) {
    f.problems.push_back("durable writes: " + d.error().message);
    return;
  }
  f.raw_commits_per_second.rounds.push_back(d->raw_commits_per_second);
  f.journal_acks_per_second.rounds.push_back(d->journal_acks_per_second);
  f.durable_ratio.rounds.push_back(d->ratio);
}

void login_round(LoginLatency& logins, Stage3Figures& f) {
  auto r = logins.round();
  if (!r) {
    f.problems.push_back("logins: " + r.error().message);
    return;
  }
  f.login_p50_ms.rounds.push_back(r->p50_ms);
  f.login_p99_ms.rounds.push_back(r->p99_ms);
  f.logins_per_second.rounds.push_back(r->logins_per_second);
  f.flood_per_second.rounds.push_back(r->flood_per_second);
  f.failed_logins += r->failed;
  for (const auto& [code, n] : r->flood_answers) f.flood_answers[code] += n;
}

}  // namespace

Stage3Figures measure_stage3(const Stage3Options& o, std::ostream& log) {
  Stage3Figures f;
  const auto dir = o.work_dir / "stage3";
  const auto started = std::chrono::steady_clock::now();
  log << "  setting up: stage 1 and stage 3 servers, " << o.validation.sessions << " live sessions, the login server"
      << std::endl;
  SignedRequestOptions requests = o.requests;
  requests.work_dir = dir;
  requests.binary = o.binary;
  LoginLatencyOptions logins = o.logins;
  logins.work_dir = dir;
  logins.binary = o.binary;
  Parts parts;
  parts.requests = set_up(SignedRequests::prepare(requests), "signed requests", f, log);
  parts.validation = set_up(SessionValidation::prepare(o.validation), "session validation", f, log);
  parts.logins = set_up(LoginLatency::prepare(logins), "logins", f, log);
  if (parts.validation) {
    f.sessions = parts.validation->sessions();
    f.bytes_per_session = parts.validation->bytes_per_session();
  }
  for (int round = 1; round <= o.rounds; ++round) {
    if (parts.requests) requests_round(o, *parts.requests, f);
    if (parts.validation) {
      if (auto v = parts.validation->round(); v) {
        f.validations_per_cpu_second.rounds.push_back(v->validations_per_cpu_second);
        f.store_lookups_per_cpu_second.rounds.push_back(v->lookups_per_cpu_second);
        f.id_decodes_per_cpu_second.rounds.push_back(v->decodes_per_cpu_second);
      } else {
        f.problems.push_back("session validation: " + v.error().message);
      }
    }
    durable_round(o, f);
    if (parts.logins) login_round(*parts.logins, f);
    log << "  round " << round << " of " << o.rounds << " done after " << std::fixed << std::setprecision(1)
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s" << std::endl;
  }
  return f;
}

}  // namespace lab::bench

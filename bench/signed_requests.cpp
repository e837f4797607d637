#include "signed_requests.h"

#include <string>
#include <vector>

#include "bench_project.h"
#include "core/json_fields.h"
#include "cpu_watch.h"
#include "server_process.h"
#include "session_load.h"

namespace lab::bench {

struct SignedRequests::Stage {
  int number = 0;
  ServerProcess server;
  BenchReaders agents;
};

namespace {

Result<ServerProcess> start_server(int stage, const SignedRequestOptions& o) {
  StageLaunch launch{.stage = stage, .threads = 1, .work_dir = o.work_dir, .binary = o.binary};
  if (stage == 3) {
    launch.in_memory = false;  // the sealed journal, as the stage runs
    launch.extra_args = {"--disable-control", "address-rate-limit", "--disable-control", "agent-rate-limit",
                         "--max-sessions",    std::to_string(o.connections + 1)};
  }
  return ServerProcess::start(launch);
}

}  // namespace

SignedRequests::SignedRequests(SignedRequestOptions options) : options_(std::move(options)) {}
SignedRequests::~SignedRequests() = default;

Result<std::unique_ptr<SignedRequests>> SignedRequests::prepare(const SignedRequestOptions& o) {
  // A round's signed requests must all arrive within the stage's 60 s timestamp window.
  if (o.connections < 1 || o.requests < 1 || static_cast<long>(o.connections) * o.requests > 200'000) {
    return Error{ErrorCode::kInvalidField, "signed requests: 1 to 200,000 requests per round (connections x requests)"};
  }
  std::unique_ptr<SignedRequests> bench(new SignedRequests(o));
  for (int number : {1, 3}) {
    LAB_ASSIGN_OR_RETURN(ServerProcess server, start_server(number, o));
    auto stage = std::make_unique<Stage>(Stage{number, std::move(server), {}});
    LAB_ASSIGN_OR_RETURN(stage->agents, log_in_readers(number, stage->server.endpoint(), o.connections));
    (number == 1 ? bench->stage1_ : bench->stage3_) = std::move(stage);
  }
  return bench;
}

Result<SignedRequestRound> SignedRequests::round() {
  SignedRequestRound r;
  for (Stage* stage : {stage1_.get(), stage3_.get()}) {
    const ReaderLoad work = reader_load(stage->agents, options_.requests, sent_);
    const CpuWatch watch(stage->server);
    const SessionLoadResult load = run_session_load(work.connections, work.lines, options_.pipeline);
    const CpuPerRequest cpu = watch.per_request(static_cast<double>(load.ok + load.failed), load.seconds);
    if (load.ok == 0) {
      return Error{ErrorCode::kInternalError,
                   "stage " + std::to_string(stage->number) + " answered no request ok; see its log in " +
                       options_.work_dir.string()};
    }
    r.failed += load.failed;
    if (stage->number == 1) {
      r.stage1_requests_per_second = load.requests_per_second();
      r.stage1_server_us = cpu.server_us();
    } else {
      r.stage3_requests_per_second = load.requests_per_second();
      r.stage3_server_us = cpu.server_us();
      r.stage3_client_cpu_share = cpu.client_cpu_share;
    }
  }
  return r;
}

}  // namespace lab::bench

// The project every request benchmark reads: created by a logged-in lead
// (a coordinator) with `tasks` tasks across the four specialties.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/protocol_client.h"
#include "session_load.h"

namespace lab::bench {

// The new project's id.
Result<std::string> create_bench_project(net::ProtocolClient& lead, const std::string& name, int tasks);

// A stage's readers under load: the bench project (made by "alice", a coordinator, with 4 tasks) and `connections`
// sessions of "bob", an observer, each from a loopback address of its own (127.0.0.20, .21, ...), as agents on
// separate hosts would connect.
struct BenchReaders {
  std::string project_id;
  std::vector<std::unique_ptr<net::ProtocolClient>> readers;
};
Result<BenchReaders> log_in_readers(int stage, const net::ClientOptions& endpoint, int connections);
// A round's load for the readers: `requests` get_project lines each, signed now (before any clock starts), and the
// connection each goes over; run it with run_session_load.
struct ReaderLoad {
  std::vector<std::vector<std::string>> lines;
  std::vector<net::LineClient*> connections;
};
ReaderLoad reader_load(BenchReaders& readers, int requests, int& sent);

// `count` get_project request lines for `reader`, each signed now when its stage signs (a nonce of its own);
// request ids continue from `sent`, unique over a run.
std::vector<std::string> get_project_lines(net::ProtocolClient& reader, const std::string& project_id, int count,
                                           int& sent);

}  // namespace lab::bench

// `lab worker`, `lab auditor` and `lab client`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "net/line_client.h"

namespace lab::app {

struct AgentEndpoint {
  int stage = 1;
  std::string host = "127.0.0.1";
  int port = -1;  // -1 = the stage's default port
  // Stages with mutual TLS: the lab CA's directory (`lab ca init`); the agent's <id>.crt/.key are found there.
  std::filesystem::path certificates = "state/ca";
};

// The connection options for `endpoint`'s stage, or nullopt after telling the user what is wrong.
std::optional<net::ClientOptions> resolve_endpoint(const AgentEndpoint& endpoint);

struct WorkerCommand {
  AgentEndpoint endpoint;
  std::string id;
  std::string specialty;
  std::string password;  // stage 2 on; empty = the lab user's password from valid_credentials.json
  int poll_ms = 200;
  int max_tasks = 0;
  int idle_exit_s = 0;
};

struct AuditorCommand {
  AgentEndpoint endpoint;
  std::string id = "auditor";
  std::string password;  // stage 2 on; empty = the lab user's password from valid_credentials.json
  std::filesystem::path log_file;  // empty: out/audit-stage<N>.jsonl, one log per stage
  int duration_s = 0;
};

struct ClientCommand {
  AgentEndpoint endpoint;
  std::filesystem::path script;
};

int run_worker_command(const WorkerCommand& command);
int run_auditor_command(const AuditorCommand& command);
int run_client_command(const ClientCommand& command);

}  // namespace lab::app

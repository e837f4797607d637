// lab: the Session Security Lab's command line (see README.md, docs/PROTOCOL.md).
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "core/safe_log_sink.h"
#include "agent_commands.h"
#include "attack_command.h"
#include "ca_command.h"
#include "command_line_errors.h"
#include "controls_command.h"
#include "docs_command.h"
#include "matrix_command.h"
#include "serve_command.h"
#include "state_commands.h"
#include "bench_command.h"
#include "walkthrough.h"

namespace {

void add_endpoint(CLI::App* cmd, lab::app::AgentEndpoint& e) {
  cmd->add_option("--stage", e.stage, "stage number")->required();
  cmd->add_option("--host", e.host, "coordinator address")->capture_default_str();
  cmd->add_option("--port", e.port, "coordinator port (default: the stage's own port)");
  cmd->add_option("--certificates", e.certificates, "stage 3: the lab CA's directory (lab ca init)")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Session Security Lab: session security in agent-to-agent systems, in five stages"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();

  lab::app::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "run a stage's coordinator");
  lab::app::add_serve_flags(*serve_cmd, serve);

  lab::app::WorkerCommand worker;
  auto* worker_cmd = app.add_subcommand("worker", "run a worker agent against a running coordinator");
  add_endpoint(worker_cmd, worker.endpoint);
  worker_cmd->add_option("--id", worker.id, "agent id")->required();
  worker_cmd->add_option("--specialty", worker.specialty, "data_analysis, code_review, testing or documentation")
      ->required();
  worker_cmd->add_option("--password", worker.password, "stage 2 on (default: the lab user's password)");
  worker_cmd->add_option("--poll-ms", worker.poll_ms, "how often to look for work")->capture_default_str();
  worker_cmd->add_option("--max-tasks", worker.max_tasks, "stop after this many tasks (0 = never)");
  worker_cmd->add_option("--idle-exit", worker.idle_exit_s, "stop after this many seconds without work (0 = never)");

  lab::app::AuditorCommand auditor;
  auto* auditor_cmd = app.add_subcommand("auditor", "run the audit agent against a running coordinator");
  add_endpoint(auditor_cmd, auditor.endpoint);
  auditor_cmd->add_option("--id", auditor.id, "agent id")->capture_default_str();
  auditor_cmd->add_option("--password", auditor.password, "stage 2 on (default: the lab user's password)");
  auditor_cmd->add_option("--log", auditor.log_file, "JSON-lines audit log (default: out/audit-stage<N>.jsonl)");
  auditor_cmd->add_option("--duration", auditor.duration_s, "stop after this many seconds (0 = until stopped)");

  lab::app::ClientCommand client;
  auto* client_cmd = app.add_subcommand("client", "interactive client: operations and attack demos");
  add_endpoint(client_cmd, client.endpoint);
  client_cmd->add_option("--script", client.script, "read the answers from this file instead of the keyboard");

  lab::app::AttackCommand attack;
  auto* attack_cmd = app.add_subcommand("attack", "run one attack against a stage");
  attack_cmd->add_option("name", attack.name, "attack id, e.g. hijack-stolen-session")->required();
  attack_cmd->add_option("--stage", attack.stage, "stage number")->required();
  attack_cmd->add_option("--target", attack.target, "host:port of a running coordinator (default: start one)");
  attack_cmd->add_option("--certificates", attack.certificates,
                         "stage 3 with --target: the lab CA's directory; probes connect with the insider's certificate")
      ->capture_default_str();
  attack_cmd->add_flag("--json", attack.json, "print the result as JSON");

  lab::app::WalkthroughOptions demo;
  auto* demo_cmd = app.add_subcommand(
      "demo", "the main job: a project run to completion by agent processes, then the attack x stage matrix and report");
  demo_cmd->add_option("--project", demo.project_file, "project JSON (default: the embedded valid_project.json)");
  std::filesystem::path demo_root = "out";
  bool skip_matrix = false;
  demo_cmd->add_option("--out", demo_root, "where the report, matrix and logs go")->capture_default_str();
  demo_cmd->add_flag("--skip-matrix", skip_matrix, "only the collaboration walkthrough");

  lab::app::MatrixCommand matrix;
  auto* matrix_cmd = app.add_subcommand("matrix", "every attack against every stage, compared with the catalog");
  matrix_cmd->add_option("--stages", matrix.stages, "stages, e.g. 1,2 (default: every implemented stage)")
      ->delimiter(',');
  matrix_cmd->add_option("--attacks", matrix.attacks, "only these attacks (comma-separated)")->delimiter(',');
  matrix_cmd->add_flag("--json", matrix.json, "print the matrix as JSON (format: docs/PROTOCOL.md §11)");
  matrix_cmd->add_flag("--report", matrix.write_report, "also write report.html and matrix.json");
  matrix_cmd->add_flag("--ablation", matrix.ablation,
                       "also switch each control of the secure stages off alone and run the attacks it stops");
  matrix_cmd->add_option("--jobs", matrix.jobs, "cells side by side (0 = one per core; timing-sensitive attacks run alone)")
      ->capture_default_str()
      ->check(CLI::Range(0, 64));
  matrix_cmd->add_option("--out", matrix.out_dir, "where the report and the stage work directories go")
      ->capture_default_str();

  bool docs_check = false;
  std::filesystem::path docs_root = ".";
  int controls_stage = 1;
  bool controls_json = false;
  auto* controls_cmd = app.add_subcommand("controls", "a stage's chain of security controls, in the order they run");
  controls_cmd->add_option("--stage", controls_stage, "stage number")->required();
  controls_cmd->add_flag("--json", controls_json, "print the chain as JSON");

  auto* docs_cmd = app.add_subcommand("docs", "write the documents generated from the catalog and code markers");
  docs_cmd->add_flag("--check", docs_check, "only check that they are up to date");
  docs_cmd->add_option("--root", docs_root, "the lab's source directory")->capture_default_str();

  std::filesystem::path ca_dir = "state/ca";
  auto* ca_cmd = app.add_subcommand("ca", "the lab's certificate authority (stage 3)");
  auto* ca_init_cmd =
      ca_cmd->add_subcommand("init", "create the CA (if missing) and issue the server's and every agent's certificate");
  ca_init_cmd->add_option("--dir", ca_dir, "where the CA, certificates and keys go")->capture_default_str();
  ca_cmd->require_subcommand(1);
  std::filesystem::path audit_file;
  auto* audit_cmd = app.add_subcommand("audit", "hash-chained audit logs");
  auto* audit_verify_cmd = audit_cmd->add_subcommand("verify", "check that no line was edited, removed, added or moved");
  audit_verify_cmd->add_option("file", audit_file, "the audit log (JSON lines)")->required();
  audit_cmd->require_subcommand(1);

  lab::app::BackupCommand backup;
  auto* backup_cmd = app.add_subcommand("backup", "stage 3: an online, verified backup of a running stage's state");
  add_endpoint(backup_cmd, backup.endpoint);
  backup_cmd->add_option("--agent", backup.agent, "an admin agent (its certificate and password)")->capture_default_str();
  backup_cmd->add_option("--password", backup.password, "the admin's password (default: the lab user's)");
  lab::app::RestoreCommand restore;
  auto* restore_cmd = app.add_subcommand("restore", "stage 3, stopped: verify a backup and put it in place of the state");
  restore_cmd->add_option("file", restore.backup, "the backup (state dir/backups/state-....db)")->required();
  restore_cmd->add_option("--state-dir", restore.state_dir, "the stage's state directory")->capture_default_str();
  restore_cmd->add_option("--certificates", restore.certificates, "the lab CA's directory (its sealing key)")
      ->capture_default_str();
  restore_cmd->add_flag("--verify-only", restore.verify_only, "only verify the backup; change nothing");

  lab::bench::BenchOptions bench;
  auto* bench_cmd = app.add_subcommand("bench", "measurements behind the speed and memory targets, with their ratios");
  bench_cmd->add_option("name", bench.name, "hot-path, memory, stage3, stage4 or stage5; default: hot-path and memory");
  bench_cmd->add_option("--connections", bench.hot_path.connections,
                        "hot path (and stage3, stage4, when given): concurrent connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 200));
  bench_cmd->add_option("--requests", bench.hot_path.requests,
                        "hot path (and stage3, stage4, when given): requests per connection and measurement")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  bench_cmd->add_option("--pipeline", bench.hot_path.pipeline, "hot path: depth of the pipelined measurements")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  bench_cmd->add_option("--rounds", bench.hot_path.rounds,
                        "hot path, stage3 and stage4: rounds of every measurement (median shown)")
      ->capture_default_str()
      ->check(CLI::Range(1, 15));
  bench_cmd->add_option("--stages", bench.hot_path.stages, "hot path: the stages to measure")
      ->capture_default_str()
      ->delimiter(',');
  bench_cmd->add_option("--io-threads", bench.hot_path.io_threads, "hot path: the io-thread counts to measure")
      ->capture_default_str()
      ->delimiter(',');
  bench_cmd->add_option("--counts", bench.memory.counts, "memory: how many connections and sessions (repeatable)");
  bench_cmd->add_option("--sessions", bench.stage3.validation.sessions, "stage3: live sessions the validation runs at")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  bench_cmd->add_option("--subscribers", bench.stage5.subscribers, "stage5: live dashboard streams held at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 4000));
  bench_cmd->add_option("--seconds", bench.stage5.wrk_seconds, "stage5: seconds of each wrk run")
      ->capture_default_str()
      ->check(CLI::Range(1, 60));
  bench_cmd->add_option("--out", bench.hot_path.work_dir, "where the servers' logs go")->capture_default_str();

  if (const int exit_code = lab::app::parse_command_line(app, argc, argv); exit_code >= 0) return exit_code;
  lab::escape_default_logger();  // peer-supplied text in a log line is escaped, never raw
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%H:%M:%S.%e %^%l%$ %v");

  if (*serve_cmd) return lab::app::run_serve(serve);
  if (*worker_cmd) return lab::app::run_worker_command(worker);
  if (*auditor_cmd) return lab::app::run_auditor_command(auditor);
  if (*client_cmd) return lab::app::run_client_command(client);
  if (*attack_cmd) return lab::app::run_attack_command(attack);
  if (*matrix_cmd) {
    matrix.color = isatty(STDOUT_FILENO);
    return lab::app::run_matrix_command(matrix);
  }
  if (*ca_init_cmd) return lab::app::run_ca_init(ca_dir);
  if (*audit_verify_cmd) return lab::app::run_audit_verify(audit_file);
  if (*backup_cmd) return lab::app::run_backup_command(backup);
  if (*restore_cmd) return lab::app::run_restore_command(restore);
  if (*docs_cmd) return lab::app::run_docs_command(docs_root, docs_check);
  if (*controls_cmd) return lab::app::run_controls_command(controls_stage, controls_json);
  if (*bench_cmd) {
    bench.memory.work_dir = bench.stage3.work_dir = bench.hot_path.work_dir;
    bench.stage4.work_dir = bench.stage5.work_dir = bench.hot_path.work_dir;
    bench.stage3.rounds = bench.stage4.rounds = bench.stage5.rounds = bench.hot_path.rounds;
    if (bench_cmd->count("--connections")) {
      bench.stage3.requests.connections = bench.stage4.connections = bench.hot_path.connections;
    }
    if (bench_cmd->count("--requests")) bench.stage3.requests.requests = bench.stage4.requests = bench.hot_path.requests;
    return lab::bench::run_bench(bench, std::cout);
  }
  if (*demo_cmd) {
    demo.color = isatty(STDOUT_FILENO);
    demo.out_dir = demo_root / "demo";
    // The project on every built stage, side by side.
    const int walkthrough = lab::app::run_walkthroughs(demo, std::cout);
    if (skip_matrix) return walkthrough;
    lab::app::MatrixCommand all;
    all.write_report = true;
    all.out_dir = demo_root;
    all.color = demo.color;
    const int drift = lab::app::run_matrix_command(all);
    return walkthrough != 0 ? walkthrough : drift;
  }
  return 0;
}

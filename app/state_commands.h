// `lab backup` and `lab restore`: stage 3's durable state, copied while the
// stage serves and put back after damage.
//   lab backup --stage 3 [--host H --port P --certificates DIR] [--agent ID --password PW]
//     logs in as an admin (its certificate and password) and asks the running
//     stage for an online backup; the stage writes a verified copy into
//     <state dir>/backups/ and names it (a client never chooses a server path).
//   lab restore FILE [--state-dir DIR] [--certificates DIR] [--verify-only]
//     with the stage stopped: verifies FILE under the CA directory's sealing
//     key (SQLite's integrity check, the manifest, every sealed record), then
//     puts it in place of the state directory's journal and verifies that.
//     A restore is a deliberate rollback to the backup's sequence.
#pragma once

#include <filesystem>
#include <string>

#include "agent_commands.h"

namespace lab::app {

struct BackupCommand {
  AgentEndpoint endpoint;
  std::string agent = "admin";
  std::string password;  // empty: the lab user's password
};

struct RestoreCommand {
  std::filesystem::path backup;
  std::filesystem::path state_dir = "state";
  std::filesystem::path certificates = "state/ca";
  bool verify_only = false;
};

// 0 on success, 1 when the stage or the file refused (the reason is printed), 2 for bad arguments.
int run_backup_command(const BackupCommand& command);
int run_restore_command(const RestoreCommand& command);

}  // namespace lab::app

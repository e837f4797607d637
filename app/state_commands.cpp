#include "state_commands.h"

#include <iostream>

#include "client/client_profile.h"
#include "client/session.h"
#include "security/sealed_record.h"
#include "stage3_secure/stage3.h"
#include "store/sealed_journal.h"

namespace lab::app {

int run_backup_command(const BackupCommand& c) {
  if (!client::profile_for(c.endpoint.stage).uses_certificates()) {
    std::cerr << "error: only stage 3 keeps durable state that can be backed up while it serves\n";
    return 2;
  }
  auto endpoint = resolve_endpoint(c.endpoint);
  if (!endpoint) return 2;
  client::Identity admin{c.agent, Role::kAdmin, c.password.empty() ? client::lab_password(c.agent) : c.password};
  auto session = client::open_session(c.endpoint.stage, *endpoint, admin);
  if (!session) {
    std::cerr << "lab backup: cannot log in as " << c.agent << ": " << to_string(session.error().code) << " "
              << session.error().message << "\n";
    return 1;
  }
  auto backup = (*session)->call("backup_state");
  if (!backup) {
    std::cerr << "lab backup: refused: " << to_string(backup.error().code) << " " << backup.error().message << "\n";
    return 1;
  }
  std::cout << "backup   backups/" << backup->value("backup", "") << " in the stage's state directory\n"
            << "holds    " << backup->value("sequence", 0) << " changes, " << backup->value("bytes", 0)
            << " bytes, verified by the stage before it answered\n"
            << "restore  stop the stage, then: lab restore <state dir>/backups/" << backup->value("backup", "")
            << " --state-dir <state dir>\n";
  return 0;
}

int run_restore_command(const RestoreCommand& c) {
  if (!std::filesystem::is_regular_file(c.backup)) {
    std::cerr << "error: " << c.backup.string() << " is not a file\n";
    return 2;
  }
  if (c.verify_only) {
    auto keyring = stage3::sealing_keyring(c.certificates);
    if (!keyring) {
      std::cerr << "lab restore: " << keyring.error().message << "\n";
      return 2;
    }
    auto sequence = store::SealedJournal::verify_backup(c.backup, *keyring);
    if (!sequence) {
      std::cout << c.backup.string() << ": does NOT verify: " << sequence.error().message << "\n";
      return 1;
    }
    std::cout << c.backup.string() << ": verifies, " << *sequence << " changes\n";
    return 0;
  }
  auto restored = stage3::restore_state(c.backup, c.state_dir, c.certificates);
  if (!restored) {
    std::cerr << "lab restore: nothing was changed: " << restored.error().message
              << " (is the stage still running? stop it first)\n";
    return 1;
  }
  std::cout << stage3::state_journal_path(c.state_dir).string() << ": restored from " << c.backup.string() << ", "
            << *restored << " changes, verified\n"
            << "the stage now starts from the backup; changes made after it are gone\n";
  return 0;
}

}  // namespace lab::app

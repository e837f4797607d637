// Stage 3's operations beyond the task board, over real mutual-TLS sockets:
// session monitoring (who is logged in, from where, bound to what), secure
// session migration (a session moves to a new address only with the agent's
// key), and the online backup an admin takes and `lab restore` puts back
// after the live store was damaged.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "core/file_io.h"
#include "stage3_test_server.h"

namespace lab::test {
namespace {

using namespace std::chrono_literals;

class Stage3Operations : public Stage3Fixture {
 protected:
  // A connection of `user`'s own (its certificate, which `who` then names) from `from`, without a login.
  std::unique_ptr<net::ProtocolClient> connection(const std::string& user, const std::string& from,
                                                  client::Identity& who) {
    who = server_.identity(user);
    auto c = client::open_connection_as(3, server_.endpoint(from), who);
    EXPECT_TRUE(c.ok()) << code_of(c);
    return c.ok() ? std::move(*c) : nullptr;
  }
};

const Json* listed_session_of(const Json& listing, const std::string& agent) {
  const auto& all = listing.at("sessions");
  const auto it = std::find_if(all.begin(), all.end(), [&](const Json& s) { return s.value("agent_id", "") == agent; });
  return it == all.end() ? nullptr : &*it;
}

TEST_F(Stage3Operations, AnAuditorSeesEveryLiveSessionWithItsBindingsButNoId) {
  auto alice = session("alice", "127.0.0.3");
  auto auditor = session("auditor");
  ASSERT_TRUE(alice && auditor);
  server_.clock.advance(2s);
  ASSERT_TRUE(alice->call("list_projects").ok());

  auto listing = auditor->call("list_sessions");
  ASSERT_TRUE(listing.ok()) << code_of(listing);
  EXPECT_EQ(listing->value("count", 0), 2) << listing->dump();
  const Json* seen = listed_session_of(*listing, "alice");
  ASSERT_NE(seen, nullptr) << listing->dump();
  EXPECT_EQ(seen->value("client", ""), "127.0.0.3");
  EXPECT_EQ(seen->value("certificate", "").size(), 16u) << "the certificate fingerprint it is bound to";
  EXPECT_GT(seen->value("last_activity_ms", 0), seen->value("created_ms", 0)) << "the request 2 s later counts";
  EXPECT_EQ(listing->dump().find(*alice->session_id), std::string::npos) << "the listing gives away no usable id";
}

TEST_F(Stage3Operations, AWorkerMayNotListOtherAgentsSessions) {
  auto bob = session("bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(error_code_of(bob->call("list_sessions")), "PERMISSION_DENIED");
}

TEST_F(Stage3Operations, ASessionMovesToANewAddressOnlyWithTheAgentsKeyAndGetsANewId) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  const std::string old_id = *alice->session_id;
  client::Identity who;
  auto moved = connection("alice", "127.0.0.4", who);
  ASSERT_TRUE(moved);
  auto migrated = client::migrate_session(*moved, 3, who, old_id);
  ASSERT_TRUE(migrated.ok()) << code_of(migrated);
  EXPECT_EQ(migrated->value("client", ""), "127.0.0.4");
  EXPECT_NE(*moved->session_id, old_id) << "a new id for the new connection";
  EXPECT_TRUE(moved->call("list_projects").ok()) << "the session works from its new address";
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "AUTH_REQUIRED") << "the old id has ended";

  // Back on the old address with the new id: the session is bound to where it moved.
  alice->session_id = moved->session_id;
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "ADDRESS_MISMATCH");
}

TEST_F(Stage3Operations, AStolenSessionIdCannotBeMigratedWithoutTheAgentsKey) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  // mallory holds a lab certificate of its own and alice's session id, but not alice's key.
  client::Identity who;
  auto mallory = connection("mallory", "127.0.0.5", who);
  ASSERT_TRUE(mallory);
  auto stolen = client::migrate_session(*mallory, 3, who, *alice->session_id);
  EXPECT_EQ(error_code_of(stolen), "SIGNATURE_INVALID");
  EXPECT_TRUE(alice->call("list_projects").ok()) << "alice keeps her session, where it was";
}

TEST_F(Stage3Operations, AMigrationNeverExtendsTheAbsoluteLifetime) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  for (int step = 0; step < 47; ++step) {  // busy for 7 h 50 min: never idle for long
    server_.clock.advance(10min);
    ASSERT_TRUE(alice->call("list_projects").ok()) << "step " << step;
  }
  client::Identity who;
  auto moved = connection("alice", "127.0.0.6", who);
  ASSERT_TRUE(moved);
  ASSERT_TRUE(client::migrate_session(*moved, 3, who, *alice->session_id).ok());
  server_.clock.advance(15min);
  EXPECT_EQ(error_code_of(moved->call("list_projects")), "SESSION_LIFETIME_EXCEEDED");
}

TEST_F(Stage3Operations, OnlyAnAdminTakesABackup) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(error_code_of(alice->call("backup_state")), "PERMISSION_DENIED");
}

// Flips bytes inside every sealed record of one collection, as a failing disk or an intruder would.
void damage_records(const std::filesystem::path& db, const char* collection) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  const std::string sql = std::string("UPDATE journal SET sealed = randomblob(length(sealed)) WHERE collection = '") +
                          collection + "'";
  ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_GE(sqlite3_changes(raw), 1);
  sqlite3_close(raw);
}

bool start_is_refused(const coordinator::StageConfig& config) {
  try {
    return !stage3::make_server(config)->start().ok();
  } catch (const std::exception&) {
    return true;
  }
}

TEST_F(Stage3Operations, ADamagedStoreIsRestoredFromTheAdminsOnlineBackupAndVerifies) {
  auto alice = session("alice");
  auto admin = session("admin");
  ASSERT_TRUE(alice && admin);
  ASSERT_TRUE(alice->call("create_project", Json{{"name", "in the backup"}}).ok());

  auto backup = admin->call("backup_state");
  ASSERT_TRUE(backup.ok()) << code_of(backup);
  const auto file = stage3::backup_directory(server_.config().state_dir) / backup->value("backup", "");
  ASSERT_TRUE(std::filesystem::exists(file)) << backup->dump();
  EXPECT_GT(backup->value("sequence", 0), 0);
  ASSERT_TRUE(alice->call("create_project", Json{{"name", "after the backup"}}).ok());

  auto endpoint = server_.endpoint();
  server_.close();
  const auto journal = stage3::state_journal_path(server_.config().state_dir);
  damage_records(journal, "projects");
  EXPECT_TRUE(start_is_refused(server_.config())) << "a damaged store stops the start";

  auto restored = stage3::restore_state(file, server_.config().state_dir, server_.ca_dir());
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(*restored, backup->value("sequence", 0u));

  auto again = stage3::make_server(server_.config());
  ASSERT_TRUE(again->start().ok());
  endpoint.port = again->port();
  auto alice_again = client::open_session(3, endpoint, server_.identity("alice"));
  ASSERT_TRUE(alice_again.ok()) << code_of(alice_again);
  auto listed = (*alice_again)->call("list_projects");
  ASSERT_TRUE(listed.ok());
  const std::string names = listed->dump();
  EXPECT_NE(names.find("in the backup"), std::string::npos) << names;
  EXPECT_EQ(names.find("after the backup"), std::string::npos) << "a restore is a rollback to the backup";
  again->stop();
}

TEST_F(Stage3Operations, TheWholeStateFilePutBackFromAnOlderCopyRefusesTheStart) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  ASSERT_TRUE(alice->call("create_project", Json{{"name", "in the old copy"}}).ok());
  auto endpoint = server_.endpoint();
  server_.close();
  const auto journal = stage3::state_journal_path(server_.config().state_dir);
  const auto old_copy = server_.dir() / "old-copy.db";
  std::filesystem::copy_file(journal, old_copy);  // closed cleanly: one self-contained file

  auto again = stage3::make_server(server_.config());
  ASSERT_TRUE(again->start().ok());
  endpoint.port = again->port();
  auto alice_again = client::open_session(3, endpoint, server_.identity("alice"));
  ASSERT_TRUE(alice_again.ok()) << code_of(alice_again);
  ASSERT_TRUE((*alice_again)->call("create_project", Json{{"name", "written later"}}).ok());
  again->stop();
  again.reset();

  // Someone with the state directory puts the older, self-consistent file back: every record in it opens.
  std::filesystem::copy_file(old_copy, journal, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(journal.string() + "-wal");
  EXPECT_TRUE(start_is_refused(server_.config())) << "the mark beside the key is ahead of the copy";
}

TEST_F(Stage3Operations, ADamagedBackupIsRefusedAndTheJournalIsLeftAsItWas) {
  auto admin = session("admin");
  ASSERT_TRUE(admin);
  auto backup = admin->call("backup_state");
  ASSERT_TRUE(backup.ok()) << code_of(backup);
  const auto file = stage3::backup_directory(server_.config().state_dir) / backup->value("backup", "");
  server_.close();
  damage_records(file, "agents");
  const auto journal = stage3::state_journal_path(server_.config().state_dir);
  const auto before = read_file(journal);
  EXPECT_FALSE(stage3::restore_state(file, server_.config().state_dir, server_.ca_dir()).ok());
  EXPECT_EQ(read_file(journal), before) << "a refused restore changes nothing";
}

}  // namespace
}  // namespace lab::test

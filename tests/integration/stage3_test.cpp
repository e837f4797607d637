// Stage 3 over real mutual-TLS sockets: who may connect, how a login is
// proven, the validation order of a session, and what a stolen, replayed or
// altered request gets.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "attacks/attack_helpers.h"
#include "core/file_io.h"
#include "security/audit_chain.h"
#include "stage3_test_server.h"

namespace lab::test {
namespace {

using namespace std::chrono_literals;

class Stage3 : public Stage3Fixture {};

TEST_F(Stage3, ALabAgentLogsInOverMutualTlsAndWorks) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  ASSERT_EQ(alice->session_id->size(), 43u) << "256 bits as unpadded base64url";
  auto project = alice->call("create_project", Json{{"name", "stage 3 board"}});
  ASSERT_TRUE(project.ok()) << code_of(project);
  auto bob = session("bob");
  ASSERT_TRUE(bob);
  auto read = bob->call("get_project", Json{{"project_id", project->value("id", "")}});
  ASSERT_TRUE(read.ok()) << code_of(read);
  EXPECT_EQ(read->at("project").value("name", ""), "stage 3 board") << read->dump();
}

TEST_F(Stage3, AClientWithoutACertificateGetsNoRequestThrough) {
  auto endpoint = server_.endpoint();  // TLS trusting the CA, but no client certificate
  auto client = client::open_connection(endpoint);
  if (!client.ok()) return;  // refused during the handshake: nothing got through
  auto r = (*client)->call("list_projects");
  EXPECT_EQ(error_code_of(r), "CONNECTION_FAILED") << "the server must not answer a client without a certificate";
}

TEST_F(Stage3, ACertificateFromAnotherCaIsRefused) {
  auto rogue = security::LabCa::create(server_.dir() / "rogue");
  ASSERT_TRUE(rogue.ok());
  ASSERT_TRUE(rogue->issue_agent("alice", server_.dir() / "rogue").ok());
  auto who = server_.identity("alice");
  who.certificate_file = (server_.dir() / "rogue" / "alice.crt").string();
  who.private_key_file = (server_.dir() / "rogue" / "alice.key").string();
  auto s = client::open_session(3, server_.endpoint(), who);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(error_code_of(s), "CONNECTION_FAILED") << code_of(s);
}

TEST_F(Stage3, ALoginNeedsTheAgentsOwnCertificateAndItsPassword) {
  auto as_bob_with_alices_certificate = server_.identity("bob");
  as_bob_with_alices_certificate.certificate_file = (server_.ca_dir() / "alice.crt").string();
  as_bob_with_alices_certificate.private_key_file = (server_.ca_dir() / "alice.key").string();
  EXPECT_EQ(error_code_of(client::open_session(3, server_.endpoint(), as_bob_with_alices_certificate)), "AUTH_FAILED");

  auto wrong_password = server_.identity("alice");
  wrong_password.password = "not-alices-password";
  EXPECT_EQ(error_code_of(client::open_session(3, server_.endpoint(), wrong_password)), "AUTH_FAILED");

  auto mallory = server_.identity("mallory");  // a valid lab certificate, but no account
  mallory.password = "guess";
  EXPECT_EQ(error_code_of(client::open_session(3, server_.endpoint(), mallory)), "AUTH_FAILED");
}

TEST_F(Stage3, FiveWrongPasswordsLockTheAccountEvenForTheRightOne) {
  auto wrong = server_.identity("carol");
  wrong.password = "nope";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(error_code_of(client::open_session(3, server_.endpoint(), wrong)), "AUTH_FAILED") << i;
  }
  EXPECT_EQ(error_code_of(client::open_session(3, server_.endpoint(), server_.identity("carol"))), "ACCOUNT_LOCKED");
  server_.clock.advance(16min);
  EXPECT_TRUE(server_.login("carol").ok()) << "the lock lifts after 15 minutes";
}

TEST_F(Stage3, AnUnknownOrMalformedSessionIdIsAuthRequired) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  const std::string real = *alice->session_id;
  alice->session_id = std::string(43, 'A');
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "AUTH_REQUIRED");
  alice->session_id = "sess_1";
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "AUTH_REQUIRED");
  alice->session_id = real;
  EXPECT_TRUE(alice->call("list_projects").ok());
}

TEST_F(Stage3, ARequestSentAgainIsARefusedReplay) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  const Json signed_once = attacks::prepared_request(*alice, "create_project", Json{{"name", "once"}});
  auto first = attacks::send_line_for_response(*alice, signed_once.dump());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->value("status", ""), "ok") << first->dump();
  auto again = attacks::send_line_for_response(*alice, signed_once.dump());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->value("code", ""), "REPLAY_DETECTED") << again->dump();
}

TEST_F(Stage3, AnAlteredRequestFailsItsSignature) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  Json request = attacks::prepared_request(*alice, "create_project", Json{{"name", "what alice signed"}});
  request["payload"]["name"] = "what arrived";
  auto r = attacks::send_line_for_response(*alice, request.dump());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value("code", ""), "SIGNATURE_INVALID") << r->dump();
}

TEST_F(Stage3, AnotherAgentsSessionIdIsUselessWithoutItsKey) {
  auto alice = session("alice");
  auto mallory_id = server_.identity("mallory");  // a lab certificate of its own, no session
  auto mallory_connection =
      client::open_connection(client::certificate_profile().connection_for(server_.endpoint(), mallory_id));
  ASSERT_TRUE(alice && mallory_connection.ok());
  auto& mallory = **mallory_connection;
  ASSERT_TRUE(client::certificate_profile().before_login(mallory, mallory_id).ok());
  mallory.session_id = alice->session_id;  // stolen, and signed with mallory's own key
  EXPECT_EQ(error_code_of(mallory.call("list_projects")), "SIGNATURE_INVALID");
}

TEST_F(Stage3, ASessionUsedFromAnotherAddressIsRefusedAndEnded) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  auto elsewhere = session("alice", "127.0.0.2");  // alice's own certificate, another host
  ASSERT_TRUE(elsewhere);
  elsewhere->session_id = alice->session_id;
  EXPECT_EQ(error_code_of(elsewhere->call("list_projects")), "ADDRESS_MISMATCH");
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "AUTH_REQUIRED") << "the mismatch ended the session";
}

TEST_F(Stage3, AnIdleSessionExpires) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  server_.clock.advance(31min);
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "SESSION_EXPIRED");
  EXPECT_EQ(error_code_of(alice->call("list_projects")), "AUTH_REQUIRED") << "an expired session is gone";
}

TEST_F(Stage3, AtMostThreeSessionsPerAgentAndTheOldestGoes) {
  auto first = session("alice");
  server_.clock.advance(1s);
  auto second = session("alice");
  server_.clock.advance(1s);
  auto third = session("alice");
  server_.clock.advance(1s);
  auto fourth = session("alice");
  ASSERT_TRUE(first && second && third && fourth);
  EXPECT_EQ(error_code_of(first->call("list_projects")), "AUTH_REQUIRED");
  for (auto* live : {second.get(), third.get(), fourth.get()}) EXPECT_TRUE(live->call("list_projects").ok());
}

TEST_F(Stage3, ARoleChangeEndsTheAgentsSessionsAndOnlyAnAdminMayMakeIt) {
  auto bob = session("bob");
  auto admin = session("admin");
  ASSERT_TRUE(bob && admin);
  EXPECT_EQ(error_code_of(bob->call("change_role", Json{{"agent_id", "bob"}, {"role", "admin"}})),
            "PERMISSION_DENIED");
  ASSERT_TRUE(admin->call("change_role", Json{{"agent_id", "bob"}, {"role", "observer"}}).ok());
  EXPECT_EQ(error_code_of(bob->call("list_projects")), "AUTH_REQUIRED");
  auto bob_again = session("bob");
  ASSERT_TRUE(bob_again);
  auto info = bob_again->call("get_session_info");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->value("role", ""), "observer");
}

TEST_F(Stage3, AWorkerCannotCreateProjectsOrReadTheAuditStream) {
  auto bob = session("bob");
  ASSERT_TRUE(bob);
  EXPECT_EQ(error_code_of(bob->call("create_project", Json{{"name", "x"}})), "PERMISSION_DENIED");
  EXPECT_EQ(error_code_of(bob->call("subscribe_events")), "PERMISSION_DENIED");
  auto auditor = session("auditor");
  ASSERT_TRUE(auditor);
  EXPECT_TRUE(auditor->call("subscribe_events").ok());
}

TEST_F(Stage3, HostileInputIsRefusedFieldByFieldAndNothingIsStored) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  auto control = alice->call("create_project", Json{{"name", "board\x1b]52;c;evil\x07"}});
  EXPECT_EQ(error_code_of(control), "INVALID_FIELD");
  EXPECT_NE(control.error().message.find("payload.name"), std::string::npos) << control.error().message;
  auto extra = alice->call("create_project", Json{{"name", "ok"}, {"owner", "admin"}});
  EXPECT_EQ(error_code_of(extra), "INVALID_FIELD");
  auto listed = alice->call("list_projects");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->at("projects").empty()) << listed->dump();
}

TEST_F(Stage3, AcknowledgedStateSurvivesARestartSealedAndATamperedFileRefusesTheStart) {
  auto alice = session("alice");
  ASSERT_TRUE(alice);
  ASSERT_TRUE(alice->call("create_project", Json{{"name", "kept across restarts"}}).ok());
  net::ClientOptions endpoint = server_.endpoint();
  server_.close();
  const auto db = server_.config().state_dir / "stage3_state.db";
  const std::string bytes = read_file(db).value_or("") + read_file(db.string() + "-wal").value_or("");
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("kept across restarts"), std::string::npos) << "the board is sealed at rest";
  EXPECT_EQ(bytes.find("alice"), std::string::npos) << "agent ids are sealed at rest";

  auto again = stage3::make_server(server_.config());
  ASSERT_TRUE(again->start().ok());
  auto who = server_.identity("alice");
  endpoint.port = again->port();
  auto alice_again = client::open_session(3, endpoint, who);
  ASSERT_TRUE(alice_again.ok()) << code_of(alice_again);
  auto listed = (*alice_again)->call("list_projects");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->at("projects").size(), 1u) << listed->dump();
  again->stop();
  again.reset();

  // Someone with the file edits a sealed project row: the next start refuses rather than load it.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "UPDATE journal SET sealed = randomblob(length(sealed)) WHERE collection = 'projects'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_changes(raw), 1);
  sqlite3_close(raw);
  const bool refused = [&] {
    try {
      auto tampered = stage3::make_server(server_.config());
      return !tampered->start().ok();
    } catch (const std::exception&) {
      return true;
    }
  }();
  EXPECT_TRUE(refused) << "an edited sealed record must stop the start";
}

TEST_F(Stage3, TheAuditLogRecordsLoginsRefusalsAndRoleChangesAndVerifies) {
  auto alice = session("alice");
  auto wrong = server_.identity("bob");
  wrong.password = "nope";
  EXPECT_FALSE(client::open_session(3, server_.endpoint(), wrong).ok());
  auto admin = session("admin");
  ASSERT_TRUE(alice && admin);
  ASSERT_TRUE(admin->call("change_role", Json{{"agent_id", "carol"}, {"role", "observer"}}).ok());
  server_.server().stop();  // every event written
  auto verified = security::verify_audit_log(server_.audit_log());
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  const std::string text = read_file(server_.audit_log()).value_or("");
  EXPECT_NE(text.find("\"kind\":\"session_created\""), std::string::npos);
  EXPECT_NE(text.find("AUTH_FAILED"), std::string::npos) << "a failed login is recorded";
  EXPECT_NE(text.find("\"kind\":\"role_changed\""), std::string::npos);
  EXPECT_EQ(text.find(*alice->session_id), std::string::npos) << "no session id in the audit log";
  EXPECT_EQ(text.find("alice-wonderland"), std::string::npos) << "no password in the audit log";
}

class Stage3ShortLifetime : public ::testing::Test {
 protected:
  Stage3TestServer server_{coordinator::StageConfig{.absolute_timeout = 10min}};
};

TEST_F(Stage3ShortLifetime, ASessionEndsAtItsAbsoluteLifetimeBeforeItsIdleTimeout) {
  ASSERT_TRUE(server_.start_status().ok());
  auto alice = server_.login("alice");
  ASSERT_TRUE(alice.ok()) << code_of(alice);
  server_.clock.advance(11min);  // idle for 11 of 30 minutes, but past the 10-minute lifetime
  EXPECT_EQ(error_code_of((*alice)->call("list_projects")), "SESSION_LIFETIME_EXCEEDED");
}


// One control off, and exactly what it stops gets through: each control is necessary, not only the set sufficient.

Result<Json> replay_outcome(Stage3TestServer& server) {
  auto alice = server.login("alice");
  if (!alice) return alice.error();
  const Json request = attacks::prepared_request(**alice, "create_project", Json{{"name", "once"}});
  if (auto first = attacks::send_line_for_response(**alice, request.dump()); !first) return first.error();
  return attacks::send_line_for_response(**alice, request.dump());
}

TEST(Stage3WithoutReplayProtection, AReplayedRequestRunsAgain) {
  Stage3TestServer server{coordinator::StageConfig{.disabled_controls = {"replay-protection"}}};
  ASSERT_TRUE(server.start_status().ok());
  auto again = replay_outcome(server);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->value("status", ""), "ok") << again->dump();
}

TEST(Stage3WithoutRequestSignatures, AnAlteredRequestRuns) {
  Stage3TestServer server{coordinator::StageConfig{.disabled_controls = {"request-signature"}}};
  ASSERT_TRUE(server.start_status().ok());
  auto alice = server.login("alice");
  ASSERT_TRUE(alice.ok()) << code_of(alice);
  Json request = attacks::prepared_request(**alice, "create_project", Json{{"name", "what alice signed"}});
  request["payload"]["name"] = "what arrived";
  auto r = attacks::send_line_for_response(**alice, request.dump());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value("status", ""), "ok") << r->dump();
}

TEST(Stage3WithoutAddressBinding, ASessionWorksFromAnotherAddress) {
  Stage3TestServer server{coordinator::StageConfig{.disabled_controls = {"address-binding"}}};
  ASSERT_TRUE(server.start_status().ok());
  auto alice = server.login("alice");
  auto elsewhere = server.login("alice", "127.0.0.2");
  ASSERT_TRUE(alice.ok() && elsewhere.ok());
  (*elsewhere)->session_id = (*alice)->session_id;
  EXPECT_TRUE((*elsewhere)->call("list_projects").ok());
}

}  // namespace
}  // namespace lab::test

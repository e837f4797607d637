// Stage 5 over real HTTPS: what a browser and an attacker see of the web controls.
#include <gtest/gtest.h>

#include <thread>

#include "agents/worker_agent.h"
#include "core/domain.h"
#include "security/digest.h"
#include "stage5_test_server.h"
#include "web/web_protocol_client.h"

namespace lab::test {
namespace {

class Stage5Test : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server.start_status()) << server.start_status().error().message; }
  Stage5TestServer server;
};

TEST_F(Stage5Test, SignInSetsHardenedCookiesAndAnswersWithAToken) {
  auto b = server.browser();
  auto r = b.sign_in("alice", kAlicePassword);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const Json j = body_of(r);
  EXPECT_EQ(j["agent_id"], "alice");
  EXPECT_EQ(j["role"], "coordinator");
  EXPECT_EQ(j["token_type"], "Bearer");
  const std::string token = j.value("access_token", "");
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  for (const char* name : {"__Host-access", "__Host-fgp", "__Host-refresh"}) {
    ASSERT_TRUE(b.cookies().count(name)) << name;
    const std::string& a = b.cookies().at(name).attributes;
    for (const char* attribute : {"Path=/", "Secure", "HttpOnly", "SameSite=Strict"}) {
      EXPECT_NE(a.find(attribute), std::string::npos) << name << " lacks " << attribute << ": " << a;
    }
    EXPECT_EQ(a.find("Domain"), std::string::npos) << name;
  }
  // The CSRF cookie is the one the page's script must read: not HttpOnly, otherwise as hardened.
  ASSERT_TRUE(b.cookies().count("__Host-csrf"));
  EXPECT_EQ(b.cookies().at("__Host-csrf").attributes.find("HttpOnly"), std::string::npos);
  EXPECT_EQ(b.cookie("__Host-csrf"), j.value("csrf_token", ""));
}

TEST_F(Stage5Test, AWrongPasswordIsRefusedAndSetsNoCookie) {
  auto b = server.browser();
  auto r = b.sign_in("alice", "not-her-password");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(code_of(r), "AUTH_FAILED");
  EXPECT_TRUE(b.cookies().empty());
}

TEST_F(Stage5Test, EveryResponseCarriesTheSecurityHeaders) {
  auto b = server.signed_in("alice", kAlicePassword);
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/"}, {"GET", "/static/app.js"}, {"GET", "/api/projects"}, {"GET", "/api/nothing-here"},
           {"POST", "/api/projects"}}) {
    auto r = b.request(method, target, method == "POST" ? "[" : "");
    ASSERT_TRUE(r) << target;
    EXPECT_NE(r->header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_EQ(r->header("Content-Security-Policy").find("unsafe-inline"), std::string::npos) << target;
    EXPECT_NE(r->header("Strict-Transport-Security").find("max-age="), std::string::npos) << target;
    EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(r->header("X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(r->header("Referrer-Policy"), "no-referrer") << target;
    EXPECT_EQ(r->header("Cross-Origin-Opener-Policy"), "same-origin") << target;
  }
}

TEST_F(Stage5Test, ASignedInBrowserCreatesAndReadsProjects) {
  auto b = server.signed_in("alice", kAlicePassword);
  const std::string id = create_project(b, "<img src=x onerror=alert(1)>");
  ASSERT_FALSE(id.empty());
  auto r = b.request("GET", "/api/projects/" + id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "application/json");
  EXPECT_EQ(body_of(r)["project"]["name"], "<img src=x onerror=alert(1)>");
  EXPECT_EQ(project_count(b), 1u);
}

TEST_F(Stage5Test, AStateChangeWithoutTheCsrfTokenIsRefusedAndChangesNothing) {
  auto b = server.signed_in("alice", kAlicePassword);
  // The browser sends its cookies by itself; a page elsewhere cannot read the CSRF cookie to add the header.
  auto r = b.request("POST", "/api/projects", Json{{"name", "forged"}}.dump(), {{"X-CSRF-Token", ""}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(code_of(r), "CSRF_REJECTED");
  // Nor does another session's token do: it is signed for that session.
  auto other = server.signed_in("carol", "carol-keeps-the-board-7");
  auto theirs = *other.cookie("__Host-csrf");
  r = b.request("POST", "/api/projects", Json{{"name", "forged"}}.dump(), {{"X-CSRF-Token", theirs}});
  ASSERT_TRUE(r);
  EXPECT_EQ(code_of(r), "CSRF_REJECTED");
  EXPECT_EQ(project_count(b), 0u);
}

TEST_F(Stage5Test, AStateChangeFromAForeignOriginIsRefused) {
  auto b = server.signed_in("alice", kAlicePassword);
  auto r = b.request("POST", "/api/projects", Json{{"name", "from elsewhere"}}.dump(),
                     {{"Origin", "https://127.0.0.2:8443"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(code_of(r), "ORIGIN_REFUSED");
  EXPECT_EQ(project_count(b), 0u);
  r = b.request("POST", "/api/projects", Json{{"name", "from here"}}.dump(), {{"Origin", server.origin()}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
}

TEST_F(Stage5Test, CorsLetsOnlyTheSiteItselfReadAnswers) {
  auto b = server.signed_in("alice", kAlicePassword);
  auto foreign = b.request("GET", "/api/projects", {}, {{"Origin", "https://127.0.0.2:8443"}});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->header("Access-Control-Allow-Origin"), "");
  EXPECT_NE(foreign->header("Vary").find("Origin"), std::string::npos);
  auto own = b.request("GET", "/api/projects", {}, {{"Origin", server.origin()}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->header("Access-Control-Allow-Origin"), server.origin());
  EXPECT_EQ(own->header("Access-Control-Allow-Credentials"), "true");
  auto preflight = b.request("OPTIONS", "/api/projects", {},
                             {{"Origin", "https://127.0.0.2:8443"}, {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(preflight->header("Access-Control-Allow-Methods"), "");
}

TEST_F(Stage5Test, AWorkersProgressReachesTheProjectsLiveStream) {
  auto alice = server.signed_in("alice", kAlicePassword);
  const std::string project = create_project(alice, "live");
  auto task = alice.request("POST", "/api/projects/" + project + "/tasks",
                            Json{{"specialty", "data_analysis"}, {"description", "count words"}, {"input", "a b c"}}.dump());
  ASSERT_TRUE(task && task->status == 201) << (task ? task->body : task.error().message);
  const std::string task_id = body_of(task).value("id", "");
  std::vector<std::string> seen;
  std::thread watcher([&] {
    auto events = alice.events("/api/projects/" + project + "/events", 3, std::chrono::seconds(10));
    if (events) seen = *events;
  });
  auto bob = server.signed_in("bob", kBobPassword);
  ASSERT_EQ(bob.request("POST", "/api/agents/self", Json{{"specialties", {"data_analysis"}}}.dump())->status, 200);
  // Give the watcher its stream before the worker acts (the snapshot is its first event).
  for (int i = 0; i < 200 && server.server().coordinator().stores().events().subscriber_count() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto claimed = bob.request("POST", "/api/tasks/" + task_id + "/claim");
  ASSERT_TRUE(claimed && claimed->status == 200) << (claimed ? claimed->body : claimed.error().message);
  auto done = bob.request("POST", "/api/tasks/" + task_id + "/status",
                          Json{{"status", "completed"}, {"result", {{"words", 3}}}}.dump());
  ASSERT_TRUE(done && done->status == 200) << (done ? done->body : done.error().message);
  watcher.join();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(Json::parse(seen[0])["project"]["id"], project);
  const Json claim = Json::parse(seen[1]);
  EXPECT_EQ(claim["kind"], "task_claimed");
  EXPECT_EQ(claim["task_id"], task_id);
  EXPECT_EQ(claim["assignee"], "bob");
  const Json finished = Json::parse(seen[2]);
  EXPECT_EQ(finished["kind"], "task_status_changed");
  EXPECT_EQ(finished["status"], "completed");
  EXPECT_FALSE(finished.contains("peer")) << "the stream names no address";
}

TEST_F(Stage5Test, ALiveStreamEndsWithItsSession) {
  auto alice = server.signed_in("alice", kAlicePassword);
  const std::string project = create_project(alice, "ends");
  auto reader = server.browser();  // the same cookies: the same session, on a connection of its own
  for (const auto& [name, cookie] : alice.cookies()) reader.set_cookie(name, cookie.value);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> seen;
  std::thread watcher([&] {
    auto events = reader.events("/api/projects/" + project + "/events", 5, std::chrono::seconds(15));
    if (events) seen = *events;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(alice.request("DELETE", "/api/session")->status, 200);
  watcher.join();
  EXPECT_EQ(seen.size(), 1u) << "the snapshot, then the end of the stream";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << "the stream did not outlive sign-out";
}

TEST_F(Stage5Test, TheLiveStreamNeedsASignedInReader) {
  auto alice = server.signed_in("alice", kAlicePassword);
  const std::string project = create_project(alice, "private");
  auto stranger = server.browser();
  auto events = stranger.events("/api/projects/" + project + "/events", 1, std::chrono::seconds(3));
  EXPECT_FALSE(events);
}

TEST_F(Stage5Test, MalformedAndOversizedRequestsGetAClearErrorAndTheServerCarriesOn) {
  auto b = server.signed_in("alice", kAlicePassword);
  auto r = b.request("POST", "/api/projects", "{\"name\": ");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(code_of(r), "MALFORMED_JSON");
  r = b.request("POST", "/api/projects", std::string(200 * 1024, 'x'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  r = b.request("POST", "/api/projects", Json{{"name", std::string(300, 'n')}}.dump());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(code_of(r), "INVALID_FIELD");
  r = b.request("GET", "/api/projects", {}, {{"X-Padding", std::string(16 * 1024, 'h')}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(server.browser().sign_in("alice", kAlicePassword)->status, 200);
}

TEST_F(Stage5Test, PagesAreServedWithTextRendering) {
  auto b = server.browser();
  auto r = b.request("GET", "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->header("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(r->body.find("content=\"text\""), std::string::npos);
  EXPECT_EQ(r->body.find("<script>"), std::string::npos) << "no inline script";
  r = b.request("GET", "/static/app.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->header("Content-Type").find("javascript"), std::string::npos);
  EXPECT_EQ(b.request("GET", "/static/../catalog")->status, 404);
  EXPECT_EQ(b.request("GET", "/nothing")->status, 404);
  // A signed-in page comes whole: the shared head and top bar, its own title, script and content, no placeholder.
  r = b.request("GET", "/project");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(r->body.find("<title>Project · Agent lab</title>"), std::string::npos);
  EXPECT_NE(r->body.find("<script src=\"/static/project.js\" defer></script>"), std::string::npos);
  EXPECT_NE(r->body.find("data-testid=\"signout\""), std::string::npos);
  EXPECT_NE(r->body.find("data-testid=\"project-title\""), std::string::npos);
  EXPECT_EQ(r->body.find("{{"), std::string::npos);
  // Its parts are not pages of their own.
  EXPECT_EQ(b.request("GET", "/static/layout.html")->status, 404);
  EXPECT_EQ(b.request("GET", "/static/project.main.html")->status, 404);
}

TEST_F(Stage5Test, TheTokenKeyIsPublishedForVerifiers) {
  auto r = server.browser().request("GET", "/.well-known/token-key.pem");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_EQ(r->body.find("PRIVATE"), std::string::npos);
}

TEST_F(Stage5Test, TheAgentCardSaysHowToAuthenticate) {
  auto r = server.browser().request("GET", "/.well-known/agent-card.json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Content-Type"), "application/json");
  const Json card = body_of(r);
  const Json& interface = card["supportedInterfaces"][0];
  EXPECT_EQ(interface["protocolBinding"], "JSONRPC");
  EXPECT_EQ(interface["protocolVersion"], "1.0");
  EXPECT_EQ(interface["url"], "https://localhost:" + std::to_string(server.port()) + "/a2a");
  EXPECT_EQ(card["securitySchemes"]["accessToken"]["httpAuthSecurityScheme"]["scheme"], "Bearer");
  EXPECT_EQ(card["securitySchemes"]["fingerprintCookie"]["apiKeySecurityScheme"]["name"], "__Host-fgp");
  // One requirement naming both: the token alone does not authenticate (the test below shows it refused).
  const Json& required = card["securityRequirements"][0]["schemes"];
  EXPECT_TRUE(required.contains("accessToken"));
  EXPECT_TRUE(required.contains("fingerprintCookie"));
}

TEST(Stage5AgentCardTest, BehindAProxyTheCardNamesTheProxysOrigin) {
  coordinator::StageConfig config;
  config.web_origins = {"https://lab.example:8443"};
  Stage5TestServer server(config);
  ASSERT_TRUE(server.start_status()) << server.start_status().error().message;
  const Json card = body_of(server.browser().request("GET", "/.well-known/agent-card.json"));
  EXPECT_EQ(card["supportedInterfaces"][0]["url"], "https://lab.example:8443/a2a");
}

// A JSON-RPC call as an A2A client following the card: bearer token and fingerprint cookie, A2A-Version 1.0.
Result<web::HttpResponse> rpc(web::BrowserClient& b, const std::string& token, const std::string& method, Json params,
                              bool with_cookie = true, bool with_version = true) {
  web::HeaderList headers{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  headers.emplace_back("Cookie", with_cookie ? "__Host-fgp=" + b.cookie("__Host-fgp").value_or("") : "");
  if (with_version) headers.emplace_back("A2A-Version", "1.0");
  return b.http().request("POST", "/a2a", headers,
                          Json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", std::move(params)}}.dump());
}

TEST_F(Stage5Test, AnA2aClientSendsWorkAndFollowsTheTask) {
  auto alice = server.browser();
  const std::string token = body_of(alice.sign_in("alice", kAlicePassword)).value("access_token", "");
  const std::string project = create_project(alice, "a2a");
  const Json message{{"message",
                      {{"messageId", "m-1"},
                       {"role", "ROLE_USER"},
                       {"contextId", project},
                       {"parts", Json::array({{{"text", "count the words"}},
                                              {{"data", {{"specialty", "data_analysis"}, {"input", "one two"}}}}})}}}};
  auto sent = rpc(alice, token, "SendMessage", message);
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 200) << sent->body;
  const Json task = body_of(sent)["result"]["task"];
  EXPECT_EQ(body_of(sent)["id"], 7);
  EXPECT_EQ(task["contextId"], project);
  EXPECT_EQ(task["status"]["state"], "TASK_STATE_SUBMITTED");
  const std::string task_id = task["id"];

  auto bob = server.signed_in("bob", kBobPassword);
  ASSERT_EQ(bob.request("POST", "/api/agents/self", Json{{"specialties", {"data_analysis"}}}.dump())->status, 200);
  ASSERT_EQ(bob.request("POST", "/api/tasks/" + task_id + "/claim")->status, 200);
  ASSERT_EQ(bob.request("POST", "/api/tasks/" + task_id + "/status",
                        Json{{"status", "completed"}, {"result", {{"words", 2}}}}.dump())
                ->status,
            200);
  auto got = rpc(alice, token, "GetTask", Json{{"id", task_id}});
  ASSERT_TRUE(got);
  const Json done = body_of(got)["result"];
  EXPECT_EQ(done["status"]["state"], "TASK_STATE_COMPLETED") << got->body;
  EXPECT_EQ(done["artifacts"][0]["parts"][0]["data"]["words"], 2);
  auto listed = rpc(alice, token, "ListTasks", Json{{"contextId", project}});
  ASSERT_TRUE(listed);
  EXPECT_EQ(body_of(listed)["result"]["totalSize"], 1);
}

TEST_F(Stage5Test, A2aCallsAreRefusedAsTheProtocolSays) {
  auto alice = server.browser();
  const std::string token = body_of(alice.sign_in("alice", kAlicePassword)).value("access_token", "");
  auto r = rpc(alice, token, "ListTasks", Json::object(), true, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(r)["error"]["code"], -32009) << "no A2A-Version header means 0.3, which is not spoken";
  r = rpc(alice, token, "TransferFunds", Json::object());
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(r)["error"]["code"], -32601);
  r = rpc(alice, token, "GetTask", Json{{"id", "task_999"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(r)["error"]["code"], -32001);
  r = rpc(alice, token, "ListTasks", Json::object(), false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(body_of(r)["error"]["data"]["code"], "TOKEN_BINDING_MISMATCH");
  r = alice.http().request("POST", "/a2a", {{"A2A-Version", "1.0"}}, "{not json");
  ASSERT_TRUE(r);
  EXPECT_EQ(body_of(r)["error"]["code"], -32700);
}

TEST_F(Stage5Test, AWorkerAgentDoesTasksOverHttps) {
  auto alice = server.signed_in("alice", kAlicePassword);
  const std::string project = create_project(alice, "work");
  auto task = alice.request("POST", "/api/projects/" + project + "/tasks",
                            Json{{"specialty", "data_analysis"}, {"description", "count"}, {"input", "x y z"}}.dump());
  ASSERT_TRUE(task && task->status == 201);
  agents::WorkerOptions o;
  o.stage = 5;
  o.endpoint.host = "127.0.0.1";
  o.endpoint.port = server.port();
  o.endpoint.tls = net::TlsClientFiles{server.endpoint().ca_file, "localhost"};
  o.identity = client::Identity{"bob", Role::kWorker, kBobPassword};
  o.specialty = Specialty::kDataAnalysis;
  o.poll_interval = std::chrono::milliseconds(20);
  o.max_tasks = 1;
  o.open_channel = [](const agents::WorkerOptions& w) {
    return web::WebProtocolClient::sign_in(w.endpoint, w.identity.agent_id, w.identity.password);
  };
  auto report = agents::run_worker(o);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->completed, 1);
  const Json tasks = body_of(alice.request("GET", "/api/projects/" + project + "/tasks"));
  ASSERT_EQ(tasks["tasks"].size(), 1u);
  EXPECT_EQ(tasks["tasks"][0]["status"], "completed");
  EXPECT_EQ(tasks["tasks"][0]["assignee"], "bob");
  EXPECT_TRUE(tasks["tasks"][0]["result"].is_object()) << tasks.dump();
}

TEST_F(Stage5Test, AnAdminSeesSessionsCountersAndEventsAndRevokesASession) {
  auto alice = server.signed_in("alice", kAlicePassword);
  ASSERT_EQ(alice.request("GET", "/api/projects")->status, 200);
  auto admin = server.signed_in("admin", kAdminPassword);
  const Json sessions = body_of(admin.request("GET", "/api/admin/sessions"));
  std::string alices;
  for (const auto& s : sessions["sessions"]) {
    if (s["agent_id"] == "alice") alices = s["session"];
  }
  ASSERT_EQ(alices.size(), 12u) << sessions.dump();
  const Json controls = body_of(admin.request("GET", "/api/admin/controls"));
  bool counted = false;
  for (const auto& row : controls["controls"]) {
    if (row.value("control", "") == "access-token") counted = row.value("checks", 0) > 0;
  }
  EXPECT_TRUE(counted) << controls.dump();
  const Json events = body_of(admin.request("GET", "/api/admin/events"));
  ASSERT_FALSE(events["events"].empty());
  EXPECT_EQ(events["events"][0]["kind"], "session_created") << "newest first: the admin's own sign-in";
  // Only an admin revokes; alice may not even look.
  EXPECT_EQ(alice.request("GET", "/api/admin/events")->status, 403);
  EXPECT_EQ(alice.request("DELETE", "/api/admin/sessions/" + alices)->status, 403);
  auto revoked = admin.request("DELETE", "/api/admin/sessions/" + alices);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(alice.request("GET", "/api/projects")->status, 401);
  EXPECT_EQ(alice.request("POST", "/api/session/refresh", "{}")->status, 401) << "the refresh family went with it";
}

TEST_F(Stage5Test, ACoordinatorEnrollsAWorkerWhoseCredentialsAreShownOnce) {
  auto alice = server.signed_in("alice", kAlicePassword);
  auto enrolled = alice.request("POST", "/api/agents",
                                Json{{"agent_id", "worker-new"}, {"specialties", {"testing"}}}.dump());
  ASSERT_TRUE(enrolled);
  ASSERT_EQ(enrolled->status, 201) << enrolled->body;
  const std::string password = body_of(enrolled).value("password", "");
  EXPECT_EQ(password.size(), 32u);
  EXPECT_EQ(body_of(enrolled)["role"], "worker");
  // The new worker signs in with it, as a worker.
  auto worker = server.browser();
  auto r = worker.sign_in("worker-new", password);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body_of(r)["role"], "worker");
  // The name is taken now; a worker may not enroll anyone; nothing an admin can read shows the password.
  EXPECT_EQ(code_of(alice.request("POST", "/api/agents", Json{{"agent_id", "worker-new"}, {"specialties", {"testing"}}}.dump())),
            "AGENT_EXISTS");
  EXPECT_EQ(worker.request("POST", "/api/agents", Json{{"agent_id", "w2"}, {"specialties", {"testing"}}}.dump())->status,
            403);
  auto admin = server.signed_in("admin", kAdminPassword);
  auto events = admin.request("GET", "/api/admin/events");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->body.find(password), std::string::npos);
  EXPECT_NE(events->body.find("agent_enrolled"), std::string::npos);
}

}  // namespace
}  // namespace lab::test

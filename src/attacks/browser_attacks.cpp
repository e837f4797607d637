// The attacks whose victim is a browser (stage 5), each played in Debian's Chromium by browser/victim_browser.cjs
// with alice signed in; the oracle decides from what the server then holds or what alice's browser showed:
//   stored-xss-in-task-result   bob, a worker, finishes a task in alice's project with a result that is markup
//                               running script; alice opens the project. Exploited when that script, in alice's
//                               session, created a project she never asked for.
//   stored-xss-in-project-name  carol, another coordinator, names a project with markup running script; alice opens
//                               her dashboard, which lists every project. Exploited as above.
//   cross-site-request-forgery  alice visits a page on another site (http://127.0.0.2) whose form posts a new project
//                               to the lab. Exploited when the project exists, created as alice.
//   clickjacking-frame          that page frames the dashboard, to lay its own bait over the lab's buttons.
//                               Exploited when a lab page rendered inside the attacker's frame.
//   cross-origin-read           a page of another origin on the same site (another service on the host, at
//                               https://localhost:OTHER_PORT) reads /api/projects with alice's cookies. Exploited when
//                               the page's script read alice's secret project.
#include <algorithm>

#include "attacks/attack_list.h"
#include "attacks/victim_browser.h"
#include "attacks/web_attack_helpers.h"

namespace lab::attacks {
namespace {

// Whether alice (through her own signed-in client) owns a project named `name`; nullopt when she cannot list them.
std::optional<bool> alice_has_project(web::BrowserClient& alice, const std::string& name) {
  auto listed = alice.request("GET", "/api/projects");
  if (!listed || listed->status != 200) return std::nullopt;
  const Json body = Json::parse(listed->body, nullptr, false);
  for (const auto& p : body.value("projects", Json::array())) {
    if (p.value("name", "") == name && p.value("owner", "alice") == "alice") return true;
  }
  return false;
}

// Markup whose inline handler, run in alice's session, makes her create the project `planted`.
std::string markup_planting(const std::string& planted) {
  return "<img src=x onerror=\"App.api('POST','/api/projects',{name:'" + planted + "'})\">";
}

// The verdict on such markup, stored as `what` and shown when alice opened `opened` in her browser (`facts`: the
// scenario's shownText, elementsShown and pageErrors): exploited when the project it plants exists in her name,
// blocked when the browser showed it as text or refused its handler, no verdict otherwise.
AttackResult verdict_on_stored_markup(web::BrowserClient& alice, const Json& facts, const std::string& planted,
                                      const std::string& what, const std::string& opened) {
  const auto planted_there = alice_has_project(alice, planted);
  if (!planted_there) return failed("no verdict: alice's projects cannot be listed afterwards");
  if (*planted_there) {
    return exploited("alice opened " + opened + "; " + what + " ran as script in her session and created the project '" +
                     planted + "' as alice");
  }
  const std::string shown = facts.value("shownText", "");
  if (shown.find("<img") != std::string::npos) {
    return blocked("alice's browser showed " + what + " as text (" + shown.substr(0, 60) + "…) and no script ran");
  }
  if (facts.value("elementsShown", 0) > 0) {
    return blocked("alice's browser made " + what + " into markup, but its handler never ran (no '" + planted +
                   "' project exists): the page's policy refused inline script");
  }
  return failed("no verdict: " + opened + " never showed " + what + " in alice's browser (the page's errors: " +
                facts.value("pageErrors", Json::array()).dump() + ")");
}

// A browser takes seconds to start and sign in, and tens of seconds when several start at once on a loaded
// two-core machine: the victim's sessions and access token, which the oracle reads with afterwards, must outlive
// that. None of these attacks is about a timeout.
class BrowserAttack : public Attack {
 public:
  bool starts_early() const override { return true; }
  void adjust(StageSettings& settings) const override {
    settings.idle_timeout = std::max(settings.idle_timeout, std::chrono::milliseconds(120'000));
    settings.absolute_timeout = std::max(settings.absolute_timeout, std::chrono::milliseconds(300'000));
    settings.access_token_lifetime = std::max(settings.access_token_lifetime, std::chrono::seconds(300));
  }
};

class StoredXssInTaskResult final : public BrowserAttack {
 public:
  std::string_view id() const override { return "stored-xss-in-task-result"; }
  std::string_view title() const override { return "Run script in the dashboard through a task result"; }

  AttackResult run(const Target& t) const override {
    auto alice = signed_in_browser(t, "alice");
    if (!alice) return failed("no verdict: " + alice.error().message);
    auto project = (*alice)->request("POST", "/api/projects", Json{{"name", "launch plan " + t.tag}}.dump());
    if (!project || project->status != 201) return failed("no verdict: alice cannot create her project");
    const std::string project_id = Json::parse(project->body, nullptr, false).value("id", "");
    auto task = (*alice)->request("POST", "/api/projects/" + project_id + "/tasks",
                                  Json{{"specialty", "testing"}, {"description", "test the launch checklist"}}.dump());
    if (!task || task->status != 201) {
      return failed("no verdict: alice cannot create the task: " + (task ? describe(*task) : task.error().message));
    }
    const std::string task_id = Json::parse(task->body, nullptr, false).value("id", "");

    auto bob = signed_in_browser(t, "bob", t.other_address);
    if (!bob) return failed("no verdict: " + bob.error().message);
    const std::string planted = "xss-" + t.tag;
    const std::string payload = markup_planting(planted);
    auto registered = (*bob)->request("POST", "/api/agents/self", Json{{"specialties", {"testing"}}}.dump());
    auto claimed = (*bob)->request("POST", "/api/tasks/" + task_id + "/claim");
    auto done = (*bob)->request("POST", "/api/tasks/" + task_id + "/status",
                                Json{{"status", "completed"}, {"result", payload}}.dump());
    if (!registered || registered->status != 200 || !claimed || claimed->status != 200 || !done ||
        done->status != 200) {
      return failed("no verdict: bob cannot deliver his result: " +
                    (!registered ? registered.error().message : describe(*registered)) + "; " +
                    (!claimed ? claimed.error().message : describe(*claimed)) + "; " +
                    (!done ? done.error().message : describe(*done)));
    }

    auto facts = run_victim_browser(t, {"alice", "open-project", {{"project", project_id}}});
    if (!facts) return failed("no verdict: " + facts.error().message);
    return verdict_on_stored_markup(**alice, *facts, planted, "bob's task result", "her project");
  }
};

class StoredXssInProjectName final : public BrowserAttack {
 public:
  std::string_view id() const override { return "stored-xss-in-project-name"; }
  std::string_view title() const override { return "Run script in the dashboard through a project name"; }

  AttackResult run(const Target& t) const override {
    auto alice = signed_in_browser(t, "alice");
    if (!alice) return failed("no verdict: " + alice.error().message);
    auto carol = signed_in_browser(t, "carol", t.other_address);
    if (!carol) return failed("no verdict: " + carol.error().message);
    const std::string planted = "xss-name-" + t.tag;
    auto named = (*carol)->request("POST", "/api/projects", Json{{"name", markup_planting(planted)}}.dump());
    if (!named || named->status != 201) {
      return failed("no verdict: carol cannot name her project: " + (named ? describe(*named) : named.error().message));
    }
    const std::string project_id = Json::parse(named->body, nullptr, false).value("id", "");
    auto facts = run_victim_browser(t, {"alice", "open-dashboard", {{"project", project_id}}});
    if (!facts) return failed("no verdict: " + facts.error().message);
    return verdict_on_stored_markup(**alice, *facts, planted, "carol's project name", "her dashboard");
  }
};

class CrossSiteRequestForgery final : public BrowserAttack {
 public:
  std::string_view id() const override { return "cross-site-request-forgery"; }
  std::string_view title() const override { return "Make a signed-in browser create a project from another site"; }

  AttackResult run(const Target& t) const override {
    auto alice = signed_in_browser(t, "alice");
    if (!alice) return failed("no verdict: " + alice.error().message);
    const std::string forged = "csrf-" + t.tag;
    auto facts = run_victim_browser(t, {"alice", "cross-site-form", {{"name", forged}}});
    if (!facts) return failed("no verdict: " + facts.error().message);
    const auto made = alice_has_project(**alice, forged);
    if (!made) return failed("no verdict: alice's projects cannot be listed afterwards");
    if (*made) {
      return exploited("a page on " + facts->value("attackerPage", std::string("another site")) +
                       " made alice's browser create the project '" + forged + "' in her name");
    }
    const Json answers = facts->value("formAnswers", Json::array());
    if (answers.empty()) return failed("no verdict: the forged form's request never reached the lab");
    web::HttpResponse answer;
    answer.status = answers[0].value("status", 0);
    answer.body = answers[0].value("body", "");
    AttackResult r = blocked("the forged form from " + facts->value("attackerPage", std::string("another site")) +
                             " reached the lab, which answered " + describe(answer) + "; no project was made");
    if (const auto code = refusal_in(answer)) r.refusal = *code;
    return r;
  }
};

class ClickjackingFrame final : public BrowserAttack {
 public:
  std::string_view id() const override { return "clickjacking-frame"; }
  std::string_view title() const override { return "Frame the dashboard inside another site's page"; }

  AttackResult run(const Target& t) const override {
    auto facts = run_victim_browser(t, {"alice", "frame", {}});
    if (!facts) return failed("no verdict: " + facts.error().message);
    const std::string url = facts->value("frameUrl", "");
    const Json heading = facts->value("labHeadingInFrame", Json());
    if (heading.is_string()) {
      return exploited("the lab's page '" + heading.get<std::string>() + "' (" + url + ") rendered inside the frame of " +
                       facts->value("attackerPage", std::string("another site")) +
                       ", where the attacker's page can lay its bait over it");
    }
    if (url.starts_with("chrome-error:")) {
      return blocked("alice's browser refused to show the lab inside the frame of " +
                     facts->value("attackerPage", std::string("another site")) + " (the frame holds '" + url + "')");
    }
    return failed("no verdict: the attacker's frame shows neither the lab nor the browser's refusal ('" + url + "')");
  }
};

class CrossOriginRead final : public BrowserAttack {
 public:
  std::string_view id() const override { return "cross-origin-read"; }
  std::string_view title() const override { return "Read the API from another origin with the victim's cookies"; }

  AttackResult run(const Target& t) const override {
    auto victim = web_victim_with_secret(t);
    if (!victim) return failed("no verdict: " + victim.error().message);
    auto facts = run_victim_browser(t, {"alice", "same-site-read", {}});
    if (!facts) return failed("no verdict: " + facts.error().message);
    const Json read = facts->value("read", Json());
    if (!read.is_object()) return failed("no verdict: the attacker's page reported nothing");
    const std::string page = facts->value("attackerPage", std::string("another origin"));
    if (read.value("body", "").find(victim->secret) != std::string::npos) {
      return exploited("the script of " + page + " read alice's projects with her cookies, her secret project '" +
                       victim->secret + "' included");
    }
    if (read.contains("error")) {
      return blocked("the script of " + page + " could not read the answer (" + read.value("error", "") +
                     "): alice's browser kept the lab's answer from another origin");
    }
    return failed("no verdict: the script of " + page + " read an answer without alice's projects (status " +
                  read.value("status", Json()).dump() + ")");
  }
};

}  // namespace

std::unique_ptr<Attack> make_stored_xss_in_task_result() { return std::make_unique<StoredXssInTaskResult>(); }
std::unique_ptr<Attack> make_cross_site_request_forgery() { return std::make_unique<CrossSiteRequestForgery>(); }
std::unique_ptr<Attack> make_clickjacking_frame() { return std::make_unique<ClickjackingFrame>(); }
std::unique_ptr<Attack> make_stored_xss_in_project_name() { return std::make_unique<StoredXssInProjectName>(); }
std::unique_ptr<Attack> make_cross_origin_read() { return std::make_unique<CrossOriginRead>(); }

}  // namespace lab::attacks

#include "attacks/attack_helpers.h"

#include "core/file_io.h"
#include "security/request_signature.h"

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace lab::attacks {

std::string describe(const Error& error) { return std::string(lab::to_string(error.code)) + " " + error.message; }

Json prepared_request(net::ProtocolClient& client, std::string_view type, Json payload) {
  Json req{{"type", type}, {"request_id", client.next_request_id()}, {"payload", std::move(payload)}};
  if (client.session_id) req["session_id"] = *client.session_id;
  if (client.hook) client.hook(req);
  return req;
}

std::shared_ptr<std::vector<std::string>> capture_requests(net::ProtocolClient& client) {
  auto lines = std::make_shared<std::vector<std::string>>();
  client.hook = [previous = client.hook, lines](Json& request) {
    if (previous) previous(request);
    lines->push_back(request.dump());
  };
  return lines;
}

Result<Json> send_line_for_response(net::ProtocolClient& client, std::string_view line) {
  // A server may answer (e.g. MESSAGE_TOO_LARGE) and close before the line is
  // fully sent: look for that answer before reporting the send failure.
  const auto sent = client.line().send_line(line);
  for (;;) {
    auto text = client.line().read_line();
    if (!text) return sent ? text.error() : sent.error();
    Json msg = Json::parse(*text, nullptr, false);
    if (msg.is_object() && msg.contains("status")) return msg;
  }
}

net::ClientOptions endpoint_as(const Target& target, client::Identity identity) {
  return client::profile_for(target.stage).connection_for(target.endpoint, identity);
}

Status reconnect_as(net::ProtocolClient& client, const Target& target, const client::Identity& identity) {
  client.line().close();
  return client.connect(endpoint_as(target, identity));
}

std::optional<Target> other_instance_of(const Target& target) {
  if (!target.control) return std::nullopt;
  auto other = target.control->other_instance();
  if (!other) return std::nullopt;
  Target moved = target;
  moved.endpoint = *other;
  return moved;
}

Result<Json> call_reconnecting(net::ProtocolClient& client, const net::ClientOptions& endpoint,
                               std::string_view type, Json payload) {
  auto r = client.call(type, payload);
  if (r || r.error().code != ErrorCode::kConnectionFailed) return r;
  client.line().close();
  if (auto s = client.connect(endpoint); !s) return s.error();
  return client.call(type, std::move(payload));
}

Result<std::string> owner_of_new_project(net::ProtocolClient& client, const std::string& name) {
  auto created = client.call("create_project", Json{{"name", name}});
  if (!created) return created.error();
  return created->value("owner", std::string{});
}

Result<Json> create_project_with(const Target& target, const StolenSession& stolen, const std::string& name) {
  auto attacker = client::open_connection(from_other_host(target));
  if (!attacker) return attacker.error();
  Json forged{{"type", "create_project"},
              {"request_id", "stolen-" + name},
              {"session_id", stolen.session_id},
              {"payload", {{"name", name}, {"description", "composed by the attacker"}}}};
  if (!stolen.signing_key_hex.empty()) {
    auto key = security::Key256::from_hex(stolen.signing_key_hex);
    if (!key) return Error{ErrorCode::kInvalidField, "the stolen signing key is not 256 bits of hex"};
    security::sign_request(forged, *key, stolen.agent_id, unix_seconds(system_clock().now()));
  }
  return (*attacker)->request(forged);
}

Result<std::vector<Json>> tasks_with_description(net::ProtocolClient& client, const std::string& project_id,
                                                 const std::string& description) {
  auto listed = client.call("list_tasks", Json{{"project_id", project_id}});
  if (!listed) return listed.error();
  std::vector<Json> out;
  for (const auto& task : listed->value("tasks", Json::array())) {
    if (task.value("description", "") == description) out.push_back(task);
  }
  return out;
}

std::vector<FileHit> wait_for_files_containing(const std::filesystem::path& dir,
                                               const std::vector<std::string>& needles,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::vector<FileHit> hits;
    std::set<std::string> found;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string text = read_file(it->path()).value_or("");
      for (const auto& n : needles) {
        if (text.find(n) != std::string::npos) {
          hits.push_back({it->path(), n});
          found.insert(n);
        }
      }
    }
    if (found.size() == needles.size() || std::chrono::steady_clock::now() >= deadline) return hits;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<RelayedVictim> victim_through_relay(const Target& t) {
  auto relay = TcpRelay::start("127.0.0.3", t.endpoint);
  if (!relay) return Error{relay.error().code, "cannot start the relay: " + relay.error().message};
  RelayedVictim out;
  out.relay = std::move(*relay);
  out.via = out.relay->endpoint();
  out.via.timeout = t.endpoint.timeout;
  out.via.tls = t.endpoint.tls;  // the relay passes bytes; TLS, if any, runs end to end
  auto victim = client::open_session(t.stage, out.via, victim_identity(t));
  if (!victim) return Error{victim.error().code, "victim cannot log in through the relay: " + victim.error().message};
  out.client = std::move(*victim);
  return out;
}

Result<VictimWithSecret> victim_with_secret_project(const Target& target) {
  VictimWithSecret v{victim_identity(target), nullptr, "merger terms " + target.tag, ""};
  auto victim = client::open_session(target.stage, target.endpoint, v.identity);
  if (!victim) return Error{victim.error().code, "victim cannot log in: " + victim.error().message};
  auto project = (*victim)->call("create_project", Json{{"name", "secret-" + target.tag}, {"description", v.secret}});
  if (!project) return Error{project.error().code, "victim cannot create a project: " + project.error().message};
  v.session_id = (*victim)->session_id.value_or("");
  v.client = std::move(*victim);
  return v;
}

Result<CapturedCreateTask> capture_victim_create_task(const Target& target, const std::string& label) {
  CapturedCreateTask c{victim_identity(target), nullptr, "", label + "-" + target.tag, ""};
  auto victim = client::open_session(target.stage, target.endpoint, c.identity);
  if (!victim) return Error{victim.error().code, "victim cannot log in: " + victim.error().message};
  auto project = (*victim)->call("create_project", Json{{"name", label + "-target-" + target.tag}});
  if (!project) return Error{project.error().code, "victim cannot create a project: " + project.error().message};
  c.project_id = project->value("id", "");
  auto captured = capture_requests(**victim);
  auto task = (*victim)->call("create_task", Json{{"project_id", c.project_id}, {"specialty", "testing"},
                                                  {"description", c.description}});
  if (!task) return Error{task.error().code, "victim cannot create a task: " + task.error().message};
  if (captured->empty()) return Error{ErrorCode::kInternalError, "the victim's request line was not captured"};
  c.line = captured->back();
  c.victim = std::move(*victim);
  return c;
}

AttackResult replay_verdict(const CapturedCreateTask& captured, const Result<Json>& replayed, const std::string& where) {
  std::string answer = "no answer";
  if (!replayed) answer = describe(replayed.error());
  else if (replayed->value("status", "") == "ok") answer = "ok";
  else answer = describe(net::error_from_response(*replayed));
  auto tasks = tasks_with_description(*captured.victim, captured.project_id, captured.description);
  if (!tasks) return failed("victim cannot list its tasks: " + tasks.error().message);
  const std::string counted = std::to_string(tasks->size()) + " task(s) described '" + captured.description +
                              "' in " + captured.project_id;
  const std::string evidence = "the victim's create_task line (" + std::to_string(captured.line.size()) +
                               " bytes), resent unchanged " + where + ", was answered " + answer + "; " + counted +
                               (tasks->size() >= 2 ? " now exist" : "");
  if (tasks->size() >= 2) return exploited(evidence);
  if (replayed && replayed->value("status", "") != "ok") return refused(net::error_from_response(*replayed), evidence);
  return blocked(evidence);
}

}  // namespace lab::attacks

#include "web/a2a_binding.h"

#include "core/bounded_json.h"
#include "web/web_front.h"

namespace lab::web {
namespace {

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kTaskNotFound = -32001;
constexpr int kVersionNotSupported = -32009;
constexpr int kRefused = -32000;  // implementation-defined: the lab's refusal, its code in error.data

HttpResponse rpc_response(int status, const Json& id, Json outcome, bool is_error) {
  Json body{{"jsonrpc", "2.0"}, {"id", id}};
  body[is_error ? "error" : "result"] = std::move(outcome);
  return HttpResponse::json(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

HttpResponse rpc_error(int status, const Json& id, int code, std::string message, Json data = nullptr) {
  Json error{{"code", code}, {"message", std::move(message)}};
  if (!data.is_null()) error["data"] = std::move(data);
  return rpc_response(status, id, std::move(error), true);
}

std::string task_state(std::string_view status) {
  if (status == "submitted") return "TASK_STATE_SUBMITTED";
  if (status == "working") return "TASK_STATE_WORKING";
  if (status == "input-required") return "TASK_STATE_INPUT_REQUIRED";
  if (status == "completed") return "TASK_STATE_COMPLETED";
  if (status == "failed") return "TASK_STATE_FAILED";
  if (status == "canceled") return "TASK_STATE_CANCELED";
  if (status == "rejected") return "TASK_STATE_REJECTED";
  return "TASK_STATE_UNSPECIFIED";
}

// A lab task as an A2A Task.
Json a2a_task(const Json& t) {
  Json task{{"id", t.value("id", "")},
            {"contextId", t.value("project_id", "")},
            {"status", {{"state", task_state(t.value("status", ""))}}},
            {"metadata",
             {{"specialty", t.value("specialty", "")},
              {"description", t.value("description", "")},
              {"assignee", t.value("assignee", "")},
              {"version", t.value("version", 0)}}}};
  if (t.contains("result") && !t["result"].is_null()) {
    task["artifacts"] = Json::array({{{"artifactId", t.value("id", "") + "-result"},
                                      {"name", "result"},
                                      {"parts", Json::array({{{"data", t["result"]}}})}}});
  }
  return task;
}

// The error a refusal of the coordinator becomes.
HttpResponse refusal(const Json& id, const Error& error) {
  const int status = error_response(error).status;
  if (error.code == ErrorCode::kTaskNotFound) return rpc_error(404, id, kTaskNotFound, error.message);
  if (status == 400) {
    return rpc_error(400, id, kInvalidParams, error.message, Json{{"code", to_string(error.code)}});
  }
  HttpResponse r = rpc_error(status, id, kRefused, error.message, Json{{"code", to_string(error.code)}});
  if (error.code == ErrorCode::kRateLimited) r.set("Retry-After", std::string(error_response(error).header("Retry-After")));
  return r;
}

Result<Reply> run(coordinator::Coordinator& coordinator, const coordinator::RequestOrigin& origin, std::string type,
                  Json payload) {
  Request request;
  request.type = std::move(type);
  request.payload = std::move(payload);
  return coordinator.handle(request, origin);
}

Result<Json> find_task(coordinator::Coordinator& coordinator, const coordinator::RequestOrigin& origin,
                       const std::string& id) {
  auto listed = run(coordinator, origin, "list_tasks", Json::object());
  if (!listed) return listed.error();
  for (const auto& t : listed->json().value("tasks", Json::array())) {
    if (t.value("id", "") == id) return t;
  }
  return Error{ErrorCode::kTaskNotFound, "no task " + id};
}

HttpResponse send_message(coordinator::Coordinator& coordinator, const coordinator::RequestOrigin& origin,
                          const Json& id, const Json& params) {
  const Json message = params.value("message", Json());
  if (!message.is_object() || !message.contains("parts") || !message["parts"].is_array()) {
    return rpc_error(400, id, kInvalidParams, "params.message with parts is required");
  }
  const std::string project = message.value("contextId", "");
  if (project.empty()) return rpc_error(400, id, kInvalidParams, "message.contextId must name the project");
  Json draft{{"project_id", project}};
  for (const auto& part : message["parts"]) {
    if (!part.is_object()) continue;
    if (part.contains("text") && part["text"].is_string()) draft["description"] = part["text"];
    if (part.contains("data") && part["data"].is_object()) {
      for (const char* field : {"specialty", "description", "input", "priority"}) {
        if (part["data"].contains(field)) draft[field] = part["data"][field];
      }
    }
  }
  if (message.contains("metadata") && message["metadata"].is_object() && message["metadata"].contains("specialty")) {
    draft["specialty"] = message["metadata"]["specialty"];
  }
  auto created = run(coordinator, origin, "create_task", std::move(draft));
  if (!created) return refusal(id, created.error());
  return rpc_response(200, id, Json{{"task", a2a_task(created->json())}}, false);
}

}  // namespace

Json agent_card(const std::string& base_url, const std::string& fingerprint_cookie) {
  return Json{
      {"name", "Session Security Lab coordinator (stage 5)"},
      {"description",
       "Coordinates projects and tasks for worker agents (data_analysis, code_review, testing, documentation). "
       "A task is created by SendMessage in a project (contextId) and followed with GetTask or ListTasks."},
      {"version", "1.0.0"},
      {"supportedInterfaces",
       Json::array({{{"url", base_url + "/a2a"}, {"protocolBinding", "JSONRPC"}, {"protocolVersion", "1.0"}}})},
      {"provider", {{"organization", "Session Security Lab"}, {"url", base_url + "/"}}},
      {"capabilities", {{"streaming", false}, {"pushNotifications", false}, {"extendedAgentCard", false}}},
      {"securitySchemes",
       {{"accessToken",
         {{"httpAuthSecurityScheme",
           {{"scheme", "Bearer"},
            {"bearerFormat", "JWT"},
            {"description", "An ES256 access token from POST " + base_url +
                                "/api/session ({agent_id, password}); it lives 10 minutes and is renewed with "
                                "POST /api/session/refresh."}}}}},
        {"fingerprintCookie",
         {{"apiKeySecurityScheme",
           {{"location", "cookie"},
            {"name", fingerprint_cookie},
            {"description", "The cookie set by the same sign-in response; the token is refused without it."}}}}}}},
      {"securityRequirements", Json::array({{{"schemes", {{"accessToken", {{"list", Json::array()}}},
                                                          {"fingerprintCookie", {{"list", Json::array()}}}}}}})},
      {"defaultInputModes", Json::array({"text/plain", "application/json"})},
      {"defaultOutputModes", Json::array({"application/json"})},
      {"skills",
       Json::array({{{"id", "create-task"},
                     {"name", "Create a task in a project"},
                     {"description", "A message whose contextId is a project and whose data part names a "
                                     "specialty (and a description, or a text part) becomes a submitted task."},
                     {"tags", Json::array({"tasks", "coordination"})}}})}};
}

HttpResponse a2a_call(coordinator::Coordinator& coordinator, const HttpRequest& request,
                      const coordinator::RequestOrigin& origin) {
  BoundedJson body = parse_json_bounded(request.body);
  if (body.status != JsonParseStatus::kOk) return rpc_error(400, nullptr, kParseError, "the body is not JSON");
  const Json& call = body.value;
  if (!call.is_object() || call.value("jsonrpc", "") != "2.0" || !call.contains("method") ||
      !call["method"].is_string()) {
    return rpc_error(400, call.is_object() ? call.value("id", Json()) : Json(), kInvalidRequest,
                     "a JSON-RPC 2.0 request object is expected");
  }
  const Json id = call.value("id", Json());
  const std::string version(request.header("a2a-version"));
  if (!version.starts_with("1.0")) {
    return rpc_error(400, id, kVersionNotSupported,
                     "this agent speaks A2A 1.0: send the header A2A-Version: 1.0 (without it, 0.3 is meant)");
  }
  const Json params = call.value("params", Json::object());
  if (!params.is_object()) return rpc_error(400, id, kInvalidParams, "params must be an object");
  const std::string method = call["method"];
  if (method == "SendMessage") return send_message(coordinator, origin, id, params);
  if (method == "GetTask" || method == "CancelTask") {
    const std::string task_id = params.value("id", "");
    if (task_id.empty()) return rpc_error(400, id, kInvalidParams, "params.id is required");
    if (method == "CancelTask") {
      auto canceled = run(coordinator, origin, "update_task_status", Json{{"task_id", task_id}, {"status", "canceled"}});
      if (!canceled) return refusal(id, canceled.error());
      return rpc_response(200, id, a2a_task(canceled->json()), false);
    }
    auto task = find_task(coordinator, origin, task_id);
    if (!task) return refusal(id, task.error());
    return rpc_response(200, id, a2a_task(*task), false);
  }
  if (method == "ListTasks") {
    Json filter = Json::object();
    if (params.contains("contextId")) filter["project_id"] = params["contextId"];
    auto listed = run(coordinator, origin, "list_tasks", std::move(filter));
    if (!listed) return refusal(id, listed.error());
    Json tasks = Json::array();
    for (const auto& t : listed->json().value("tasks", Json::array())) tasks.push_back(a2a_task(t));
    const auto n = static_cast<int>(tasks.size());
    return rpc_response(200, id, Json{{"tasks", std::move(tasks)}, {"nextPageToken", ""}, {"pageSize", n}, {"totalSize", n}},
                        false);
  }
  return rpc_error(404, id, kMethodNotFound, "unknown method " + method.substr(0, 64));
}

}  // namespace lab::web

#include "web/api_routes.h"

#include <array>
#include <string_view>
#include <vector>

#include "core/bounded_json.h"

namespace lab::web {
namespace {

struct Route {
  std::string_view method;
  std::string_view pattern;  // "{}" stands for one path segment
  std::string_view type;
  std::string_view id_field;  // where the segment goes in the payload; empty: no segment
  bool takes_body;
};

constexpr std::array<Route, 15> kRoutes{{
    {"GET", "/api/session", "get_session_info", "", false},
    {"DELETE", "/api/session", "logout", "", false},
    {"GET", "/api/projects", "list_projects", "", false},
    {"POST", "/api/projects", "create_project", "", true},
    {"GET", "/api/projects/{}", "get_project", "project_id", false},
    {"GET", "/api/projects/{}/tasks", "list_tasks", "project_id", false},
    {"POST", "/api/projects/{}/tasks", "create_task", "project_id", true},
    {"GET", "/api/tasks", "list_tasks", "", false},
    {"POST", "/api/tasks/{}/claim", "claim_task", "task_id", false},
    {"POST", "/api/tasks/{}/status", "update_task_status", "task_id", true},
    {"POST", "/api/agents/{}/role", "change_role", "agent_id", true},
    {"POST", "/api/agents/self", "register_worker", "", true},
    {"POST", "/api/agents", "enroll_agent", "", true},
    {"GET", "/api/admin/sessions", "list_sessions", "", false},
    {"DELETE", "/api/admin/sessions/{}", "revoke_session", "session", false},
}};

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return out;
}

// The segment that stood for "{}" (empty when the pattern has none), or nullopt when `path` does not match.
std::optional<std::string_view> match(std::string_view pattern, std::string_view path) {
  const auto want = segments(pattern);
  const auto have = segments(path);
  if (want.size() != have.size()) return std::nullopt;
  std::string_view captured;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "{}") {
      captured = have[i];
    } else if (want[i] != have[i]) {
      return std::nullopt;
    }
  }
  return captured;
}

}  // namespace

std::optional<Result<ApiCall>> route_api(const HttpRequest& request) {
  for (const Route& route : kRoutes) {
    if (route.method != request.method) continue;
    const auto segment = match(route.pattern, request.path);
    if (!segment) continue;
    ApiCall call{std::string(route.type), Json::object()};
    if (route.takes_body && !request.body.empty()) {
      BoundedJson body = parse_json_bounded(request.body);
      if (body.status == JsonParseStatus::kTooDeep) {
        return Result<ApiCall>(Error{ErrorCode::kNestingTooDeep, "the JSON body is nested too deeply"});
      }
      if (body.status != JsonParseStatus::kOk || !body.value.is_object()) {
        return Result<ApiCall>(Error{ErrorCode::kMalformedJson, "the body must be a JSON object"});
      }
      call.payload = std::move(body.value);
    }
    if (call.type == "list_tasks") {
      // The filters of a task list travel in the query: ?status=submitted&specialty=testing
      for (const char* filter : {"status", "specialty", "project_id", "assignee"}) {
        if (auto value = request.query_parameter(filter)) call.payload[filter] = *value;
      }
    }
    if (!route.id_field.empty()) {
      const auto decoded = percent_decode(*segment, false);
      if (!decoded || decoded->empty()) {
        return Result<ApiCall>(Error{ErrorCode::kInvalidField, "malformed path segment"});
      }
      call.payload[std::string(route.id_field)] = *decoded;
    }
    return Result<ApiCall>(std::move(call));
  }
  return std::nullopt;
}

}  // namespace lab::web

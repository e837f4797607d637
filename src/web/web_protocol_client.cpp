#include "web/web_protocol_client.h"

#include <cctype>

#include "core/error_code.h"
#include "core/json_fields.h"

namespace lab::web {
namespace {

struct RestCall {
  std::string method;
  std::string target;
  Json body;  // null: no body
};

std::string path_segment(const Json& payload, const char* field) {
  std::string out;
  for (unsigned char c : payload.value(field, std::string())) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      static const char* kHex = "0123456789ABCDEF";
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

Json without(Json payload, const char* field) {
  payload.erase(field);
  return payload;
}

// The REST call for a protocol operation (the inverse of api_routes).
std::optional<RestCall> rest_call_for(std::string_view type, const Json& p) {
  if (type == "get_session_info") return RestCall{"GET", "/api/session", nullptr};
  if (type == "logout") return RestCall{"DELETE", "/api/session", nullptr};
  if (type == "list_projects") return RestCall{"GET", "/api/projects", nullptr};
  if (type == "create_project") return RestCall{"POST", "/api/projects", p};
  if (type == "get_project") return RestCall{"GET", "/api/projects/" + path_segment(p, "project_id"), nullptr};
  if (type == "create_task") {
    return RestCall{"POST", "/api/projects/" + path_segment(p, "project_id") + "/tasks", without(p, "project_id")};
  }
  if (type == "list_tasks") {
    std::string query;
    for (const char* filter : {"status", "specialty", "project_id", "assignee"}) {
      if (p.contains(filter)) query += std::string(query.empty() ? "?" : "&") + filter + "=" + path_segment(p, filter);
    }
    return RestCall{"GET", "/api/tasks" + query, nullptr};
  }
  if (type == "claim_task") return RestCall{"POST", "/api/tasks/" + path_segment(p, "task_id") + "/claim", Json::object()};
  if (type == "update_task_status") {
    return RestCall{"POST", "/api/tasks/" + path_segment(p, "task_id") + "/status", without(p, "task_id")};
  }
  if (type == "register_worker") return RestCall{"POST", "/api/agents/self", p};
  if (type == "change_role") {
    return RestCall{"POST", "/api/agents/" + path_segment(p, "agent_id") + "/role", without(p, "agent_id")};
  }
  if (type == "list_sessions") return RestCall{"GET", "/api/admin/sessions", nullptr};
  return std::nullopt;
}

Error error_of(const HttpResponse& response) {
  const Json body = Json::parse(response.body, nullptr, false);
  const Json error = body.is_object() ? body.value("error", Json::object()) : Json::object();
  const auto code = error_code_from_string(error.value("code", ""));
  return Error{code.value_or(ErrorCode::kInternalError),
               error.value("message", "HTTP " + std::to_string(response.status))};
}

}  // namespace

Result<std::unique_ptr<WebProtocolClient>> WebProtocolClient::sign_in(HttpsClientOptions endpoint,
                                                                      std::string_view agent_id,
                                                                      std::string_view password) {
  std::unique_ptr<WebProtocolClient> client(new WebProtocolClient(std::move(endpoint)));
  LAB_ASSIGN_OR_RETURN(auto response, client->browser_.sign_in(agent_id, password));
  if (response.status != 200) return error_of(response);
  if (auto s = client->take_token(response); !s) return s.error();
  return client;
}

Result<std::unique_ptr<client::CoordinatorChannel>> WebProtocolClient::sign_in(const net::ClientOptions& endpoint,
                                                                               std::string_view agent_id,
                                                                               std::string_view password) {
  HttpsClientOptions https{.host = endpoint.host, .port = endpoint.port};
  if (endpoint.tls) {
    https.ca_file = endpoint.tls->ca_file;
    https.server_name = endpoint.tls->server_name;
  }
  LAB_ASSIGN_OR_RETURN(auto client, sign_in(std::move(https), agent_id, password));
  return std::unique_ptr<client::CoordinatorChannel>(std::move(client));
}

Status WebProtocolClient::take_token(const HttpResponse& response) {
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.value("access_token", Json()).is_string()) {
    return Error{ErrorCode::kInvalidField, "the sign-in answer holds no access token"};
  }
  access_token_ = body["access_token"].get<std::string>();
  // The token names its session; the fingerprint of that name is enough for a log line.
  session_id = "web:" + body.value("agent_id", std::string()) + ":" + access_token_.substr(access_token_.size() - 8);
  return ok_status();
}

Result<Json> WebProtocolClient::send(std::string_view type, const Json& payload) {
  const auto rest = rest_call_for(type, payload);
  if (!rest) return Error{ErrorCode::kUnknownType, "no REST route for " + std::string(type)};
  HeaderList headers{{"Authorization", "Bearer " + access_token_}};
  LAB_ASSIGN_OR_RETURN(auto response,
                       browser_.request(rest->method, rest->target, rest->body.is_null() ? "" : rest->body.dump(),
                                        std::move(headers)));
  if (response.status >= 200 && response.status < 300) {
    Json data = Json::parse(response.body, nullptr, false);
    if (data.is_discarded()) return Error{ErrorCode::kMalformedJson, "the server's answer is not JSON"};
    return data;
  }
  return error_of(response);
}

Result<Json> WebProtocolClient::call(std::string_view type, Json payload) {
  auto answer = send(type, payload);
  if (answer || answer.error().code != ErrorCode::kAuthRequired ||
      answer.error().message.find("expired") == std::string::npos) {
    return answer;
  }
  // The access token expired: one refresh (the refresh cookie, with the CSRF token a cookie-borne call needs).
  LAB_ASSIGN_OR_RETURN(auto refreshed, browser_.request("POST", "/api/session/refresh", "{}"));
  if (refreshed.status != 200) return error_of(refreshed);
  if (auto s = take_token(refreshed); !s) return s.error();
  return send(type, payload);
}

}  // namespace lab::web

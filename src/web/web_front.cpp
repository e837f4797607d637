#include "web/web_front.h"

#include "embedded/embedded_files.h"
#include "web/a2a_binding.h"
#include "web/api_routes.h"
#include "web/cookies.h"

namespace lab::web {
namespace {

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAuthRequired:
    case ErrorCode::kAuthFailed:
    case ErrorCode::kSessionExpired:
    case ErrorCode::kSessionLifetimeExceeded:
    case ErrorCode::kTokenBindingMismatch:
    case ErrorCode::kTokenRevoked:
      return 401;
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kOriginRefused:
    case ErrorCode::kCsrfRejected:
      return 403;
    case ErrorCode::kProjectNotFound:
    case ErrorCode::kTaskNotFound:
    case ErrorCode::kAgentNotFound:
    case ErrorCode::kUnknownType:
      return 404;
    case ErrorCode::kVersionConflict:
    case ErrorCode::kAgentExists:
    case ErrorCode::kAlreadyClaimed:
    case ErrorCode::kInvalidTransition:
    case ErrorCode::kLimitExceeded:
    case ErrorCode::kSpecialtyMismatch:
      return 409;
    case ErrorCode::kMessageTooLarge:
      return 413;
    case ErrorCode::kAccountLocked:
      return 423;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kInternalError:
    case ErrorCode::kConnectionFailed:
      return 500;
    default:
      return 400;
  }
}

// "… retry after 1500 ms" → 2 (seconds, rounded up); 1 when the message names no time.
std::string retry_after_seconds(std::string_view message) {
  const auto at = message.find("retry after ");
  long long ms = 1000;
  if (at != std::string_view::npos) {
    ms = 0;
    for (std::size_t i = at + 12; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) {
      ms = ms * 10 + (message[i] - '0');
      if (ms > 1'000'000'000) break;
    }
  }
  return std::to_string(std::max(1LL, (ms + 999) / 1000));
}

const char* content_type_of(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

std::string bearer_of(std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  return authorization.starts_with(kBearer) ? std::string(authorization.substr(kBearer.size())) : std::string();
}

}  // namespace

HttpResponse error_response(const Error& error) {
  HttpResponse response =
      HttpResponse::json(status_of(error.code), Json{{"error", {{"code", to_string(error.code)}, {"message", error.message}}}}
                                                     .dump(-1, ' ', false, Json::error_handler_t::replace));
  if (error.code == ErrorCode::kRateLimited) response.set("Retry-After", retry_after_seconds(error.message));
  return response;
}

WebFront::WebFront(coordinator::Coordinator& coordinator, WebTokens& tokens, SessionAuthority& sessions,
                   std::shared_ptr<ResponsePolicy> responses, WebFrontOptions options)
    : coordinator_(coordinator), tokens_(tokens), sessions_(sessions), options_(std::move(options)),
      policy_(std::move(responses)), live_(std::make_shared<LiveUpdates>()),
      recent_(std::make_shared<RecentEvents>()), server_(options_.server, *this) {
  coordinator_.stores().events().subscribe(live_);
  coordinator_.stores().events().subscribe(recent_);
  sessions_.on_session_end([live = live_](const std::string& session) { live->close_session(session); });
}

WebFront::~WebFront() { server_.stop(); }

Status WebFront::start() {
  if (auto s = server_.start(); !s) return s;
  policy_->set_port(server_.port());
  return ok_status();
}

bool WebFront::is_slow(const HttpRequest& request) const {
  // A password hash: a sign-in, or a new agent's account.
  return request.method == "POST" && (request.path == "/api/session" || request.path == "/api/agents");
}

HttpResponse WebFront::refused(int status, std::string_view reason) {
  HttpResponse response = HttpResponse::json(
      status, Json{{"error", {{"code", status == 413 || status == 431 ? "MESSAGE_TOO_LARGE" : "INVALID_REQUEST"},
                              {"message", std::string(reason)}}}}
                  .dump(-1, ' ', false, Json::error_handler_t::replace));
  policy_->apply(HttpRequest{}, response);
  return response;
}

HttpResponse WebFront::handle(const HttpRequest& request) {
  HttpResponse response = request.method == "OPTIONS" ? policy_->preflight(request) : route(request);
  if (request.method != "OPTIONS") policy_->apply(request, response);
  return response;
}

coordinator::RequestOrigin WebFront::origin_of(const HttpRequest& request) const {
  auto web = std::make_shared<coordinator::WebCredentials>();
  web->method = request.method;
  web->state_changing = request.is_state_changing();
  web->origin = std::string(request.header("origin"));
  const std::string cookies(request.header("cookie"));
  const bool hardened = options_.hardened_cookies;
  web->access_token = bearer_of(request.header("authorization"));
  if (web->access_token.empty()) {
    web->access_token = cookie_value(cookies, cookie_name(kAccessCookie, hardened)).value_or("");
    web->token_from_cookie = !web->access_token.empty();
  }
  web->fingerprint_cookie = cookie_value(cookies, cookie_name(kFingerprintCookie, hardened)).value_or("");
  web->csrf_cookie = cookie_value(cookies, cookie_name(kCsrfCookie, hardened)).value_or("");
  web->csrf_header = std::string(request.header("x-csrf-token"));
  coordinator::RequestOrigin origin;
  origin.peer = coordinator::Peer{request.peer_address, request.peer_port, request.connection_id, {}};
  origin.client_name = std::string(request.header("user-agent")).substr(0, 128);
  origin.web = std::move(web);
  return origin;
}

HttpResponse WebFront::route(const HttpRequest& request) {
  if (request.path == "/api/session" && request.method == "POST") return sign_in(request);
  if (request.path == "/api/session/refresh" && request.method == "POST") return refresh(request);
  if (request.path == "/api/session/service-token" && request.method == "POST") return service_token(request);
  if (request.path == "/.well-known/agent-card.json" && request.method == "GET") {
    // Where A2A clients reach the coordinator: the first --web-origin (the name a reverse proxy serves it under),
    // else the lab's own name on its port.
    const auto& named = options_.responses.extra_origins;
    const std::string base = named.empty() ? "https://localhost:" + std::to_string(server_.port()) : named.front();
    return HttpResponse::json(200, agent_card(base, cookie_name(kFingerprintCookie, options_.hardened_cookies)).dump(2));
  }
  if (request.path == "/a2a" && request.method == "POST") return a2a_call(coordinator_, request, origin_of(request));
  if (request.path == "/.well-known/token-key.pem" && request.method == "GET") {
    // The key that verifies the access tokens: public, for any client that wants to check one.
    return HttpResponse::text(200, "application/x-pem-file", tokens_.access.public_key_pem());
  }
  constexpr std::string_view kProjects = "/api/projects/";
  if (request.method == "GET" && request.path.starts_with(kProjects) && request.path.ends_with("/events")) {
    const auto id = percent_decode(std::string_view(request.path).substr(
                                       kProjects.size(), request.path.size() - kProjects.size() - 7),
                                   false);
    if (!id || id->empty() || id->find('/') != std::string::npos) {
      return error_response(Error{ErrorCode::kInvalidField, "malformed project id"});
    }
    return stream(request, *id);
  }
  if (request.method == "GET" && (request.path == "/api/admin/controls" || request.path == "/api/admin/events")) {
    return admin_view(request, request.path.ends_with("events"));
  }
  if (request.path.starts_with("/api/")) {
    auto api = route_api(request);
    if (!api) return error_response(Error{ErrorCode::kUnknownType, request.method + " " + request.path + " is no API route"});
    if (!*api) return error_response(api->error());
    return call(request, std::move((*api)->type), std::move((*api)->payload));
  }
  return page(request);
}

HttpResponse WebFront::call(const HttpRequest& request, std::string type, Json payload) {
  Request protocol;
  protocol.type = std::move(type);
  protocol.payload = std::move(payload);
  const auto origin = origin_of(request);
  auto result = coordinator_.handle(protocol, origin);
  if (!result) return error_response(result.error());
  std::string body;
  result->append_to(body);
  const bool creates = protocol.type.starts_with("create_") || protocol.type == "enroll_agent";
  HttpResponse response = HttpResponse::json(creates ? 201 : 200, std::move(body));
  if (protocol.type == "logout") {
    const CookieAttributes secret{options_.hardened_cookies, true};
    for (const char* name : {kAccessCookie, kFingerprintCookie, kRefreshCookie}) response.add("Set-Cookie", expire_cookie(name, secret));
    response.add("Set-Cookie", expire_cookie(kCsrfCookie, CookieAttributes{options_.hardened_cookies, false}));
  }
  return response;
}

HttpResponse WebFront::admin_view(const HttpRequest& request, bool events) {
  Request probe;
  probe.type = "list_sessions";
  if (auto allowed = coordinator_.handle(probe, origin_of(request)); !allowed) return error_response(allowed.error());
  if (events) return HttpResponse::json(200, Json{{"events", recent_->newest_first()}}.dump(-1, ' ', false, Json::error_handler_t::replace));
  return HttpResponse::json(200, Json{{"controls", coordinator_.guards().to_json()},
                                      {"live_streams", live_->open_streams()},
                                      {"verified_tokens_cached", tokens_.verified.size()},
                                      {"refresh_families", tokens_.refresh.live_families()},
                                      {"denied_token_ids", tokens_.denylist.size()}}
                                     .dump());
}

HttpResponse WebFront::stream(const HttpRequest& request, const std::string& project_id) {
  Request read;
  read.type = "get_project";
  read.payload = Json{{"project_id", project_id}};
  const auto origin = origin_of(request);
  auto result = coordinator_.handle(read, origin);
  if (!result) return error_response(result.error());
  // The chain has verified the token: this is a lookup in the cache of verified ones.
  auto claims = tokens_.verified.verify(origin.web->access_token);
  if (!claims) return error_response(claims.error());
  auto events = live_->open(project_id, claims->session);
  std::string snapshot;
  result->append_to(snapshot);
  events->push(frame_event("snapshot", snapshot));
  HttpResponse response;
  response.set("Content-Type", "text/event-stream");
  response.set("Cache-Control", "no-store");
  response.stream = std::move(events);
  return response;
}

HttpResponse WebFront::page(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    return error_response(Error{ErrorCode::kUnknownType, "pages are read with GET"});
  }
  // The signed-in pages: their <main> (web/<page>.main.html) inside the one frame they share (web/layout.html: the
  // head, the scripts, the top bar).
  struct Page {
    std::string_view path, file, title, script;
  };
  static constexpr Page kPages[] = {{"/dashboard", "dashboard", "Projects", "dashboard.js"},
                                    {"/project", "project", "Project", "project.js"},
                                    {"/admin", "admin", "Sessions", "admin.js"},
                                    {"/agents", "agents", "Agents", "agents.js"}};
  const auto fill = [](std::string& text, std::string_view marker, std::string_view value) {
    if (const auto at = text.find(marker); at != std::string::npos) text.replace(at, marker.size(), value);
  };
  const auto embedded_text = [](const std::string& path) -> std::optional<std::string> {
    const auto file = embedded::file(path);
    return file ? std::optional<std::string>(*file) : std::nullopt;
  };
  std::string name;
  std::optional<std::string> body;
  if (request.path == "/" || request.path == "/index.html") {
    name = "index.html";
    body = embedded_text("web/index.html");
  } else if (request.path.starts_with("/static/")) {
    name = request.path.substr(8);
    // Scripts, styles: never a page or its parts, which are served only whole, under their own paths.
    if (!name.empty() && name.find('/') == std::string::npos && !name.ends_with(".html")) {
      body = embedded_text("web/" + name);
    }
  }
  for (const Page& page : kPages) {
    if (request.path != page.path) continue;
    const auto main = embedded::file("web/" + std::string(page.file) + ".main.html");
    body = embedded_text("web/layout.html");
    if (!body || !main) {
      body.reset();
      break;
    }
    name = std::string(page.file) + ".html";
    fill(*body, "{{title}}", page.title);
    fill(*body, "{{script}}", page.script);
    fill(*body, "{{main}}", *main);
  }
  if (!body) return error_response(Error{ErrorCode::kUnknownType, "no page at " + request.path});
  if (name.ends_with(".html")) {
    // How the page's script writes peer text: as text (always, unless the output-encoding control is off).
    fill(*body, "{{render}}", options_.output_encoding ? "text" : "html");
  }
  HttpResponse response = HttpResponse::text(200, content_type_of(name), std::move(*body));
  if (!name.ends_with(".html")) response.set("Cache-Control", "public, max-age=300");
  return response;
}

}  // namespace lab::web

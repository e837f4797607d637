#include "web/browser_client.h"

#include "core/domain.h"

namespace lab::web {

std::optional<std::string> BrowserClient::cookie(const std::string& name) const {
  const auto it = cookies_.find(name);
  return it == cookies_.end() ? std::nullopt : std::optional<std::string>(it->second.value);
}

std::string BrowserClient::cookie_header() const {
  std::string out;
  for (const auto& [name, cookie] : cookies_) {
    if (!out.empty()) out += "; ";
    out += name + "=" + cookie.value;
  }
  return out;
}

void BrowserClient::store(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name.size() != 10 || (name != "Set-Cookie" && name != "set-cookie")) continue;
    const auto eq = value.find('=');
    if (eq == std::string::npos) continue;
    const auto semicolon = value.find(';', eq);
    const std::string cookie_name = value.substr(0, eq);
    StoredCookie cookie{value.substr(eq + 1, semicolon == std::string::npos ? std::string::npos : semicolon - eq - 1),
                        semicolon == std::string::npos ? "" : value.substr(semicolon + 2)};
    if (cookie.attributes.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(cookie_name);
    } else {
      cookies_[cookie_name] = std::move(cookie);
    }
  }
}

Result<HttpResponse> BrowserClient::request(std::string_view method, std::string_view target, std::string body,
                                            HeaderList extra) {
  HeaderList headers = std::move(extra);
  const auto has = [&](std::string_view name) {
    for (const auto& [n, v] : headers) {
      if (n == name) return true;
    }
    return false;
  };
  if (!cookies_.empty() && !has("Cookie")) headers.emplace_back("Cookie", cookie_header());
  const bool changes = method != "GET" && method != "HEAD" && method != "OPTIONS";
  if (changes && !has("X-CSRF-Token")) {
    auto csrf = cookie("__Host-csrf");
    if (!csrf) csrf = cookie("csrf");
    if (csrf) headers.emplace_back("X-CSRF-Token", *csrf);
  }
  if (!body.empty() && !has("Content-Type")) headers.emplace_back("Content-Type", "application/json");
  auto response = http_.request(method, target, headers, std::move(body));
  if (response) store(*response);
  return response;
}

Result<HttpResponse> BrowserClient::sign_in(std::string_view agent_id, std::string_view password) {
  return request("POST", "/api/session", Json{{"agent_id", agent_id}, {"password", password}}.dump());
}

Result<std::vector<std::string>> BrowserClient::events(std::string_view target, std::size_t count,
                                                       std::chrono::milliseconds wait) {
  HeaderList headers;
  if (!cookies_.empty()) headers.emplace_back("Cookie", cookie_header());
  return http_.read_events(target, headers, count, wait);
}

}  // namespace lab::web

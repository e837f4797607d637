#include "attacks/web_attack_helpers.h"

#include "client/client_profile.h"
#include "core/json_fields.h"
#include "security/hex.h"
#include "web/cookies.h"

namespace lab::attacks {

web::HttpsClientOptions web_endpoint(const Target& target, const std::string& from) {
  web::HttpsClientOptions o;
  o.host = target.endpoint.host;
  o.port = target.endpoint.port;
  o.ca_file = (target.certificate_dir / "ca.crt").string();
  o.local_address = from;
  return o;
}

Result<std::unique_ptr<web::BrowserClient>> signed_in_browser(const Target& target, std::string_view user,
                                                              const std::string& from) {
  auto browser = std::make_unique<web::BrowserClient>(web_endpoint(target, from));
  auto answer = browser->sign_in(user, client::lab_password(user));
  if (!answer) return Error{answer.error().code, std::string(user) + " cannot sign in: " + answer.error().message};
  if (answer->status != 200) {
    return Error{ErrorCode::kInternalError, std::string(user) + " cannot sign in: " + describe(*answer)};
  }
  return browser;
}

std::optional<ErrorCode> refusal_in(const web::HttpResponse& response) {
  if (response.status < 400) return std::nullopt;
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return std::nullopt;
  return error_code_from_string(body["error"].value("code", ""));
}

std::string describe(const web::HttpResponse& response) {
  std::string out = std::to_string(response.status);
  const Json body = Json::parse(response.body, nullptr, false);
  if (response.status >= 400 && body.is_object() && body.contains("error") && body["error"].is_object()) {
    out += " " + body["error"].value("code", "?") + ": " + body["error"].value("message", "");
  }
  return out;
}

Result<WebVictim> web_victim_with_secret(const Target& target) {
  WebVictim victim;
  auto browser = signed_in_browser(target, "alice");
  if (!browser) return Error{browser.error().code, "the victim: " + browser.error().message};
  victim.browser = std::move(*browser);
  // The token the sign-in answered, as her jar keeps it too.
  auto token = victim.browser->cookie(web::cookie_name(web::kAccessCookie, true));
  if (!token) token = victim.browser->cookie(web::kAccessCookie);  // hardened-cookie off: no __Host- prefix
  victim.access_token = token.value_or("");
  victim.secret = "merger terms " + target.tag;
  auto created = victim.browser->request("POST", "/api/projects", Json{{"name", victim.secret}}.dump());
  if (!created || created->status != 201) {
    return Error{ErrorCode::kInternalError,
                 "the victim cannot create her project: " + (created ? describe(*created) : created.error().message)};
  }
  return victim;
}

web::BrowserClient thief_with_cookies_of(const Target& target, const web::BrowserClient& victim,
                                         const std::string& from) {
  web::BrowserClient thief(web_endpoint(target, from.empty() ? target.other_address : from));
  for (const auto& [name, cookie] : victim.cookies()) thief.set_cookie(name, cookie.value);
  return thief;
}

AttackResult verdict_on_reading_secret(const Result<web::HttpResponse>& answer, const WebVictim& victim,
                                       const std::string& how) {
  if (!answer) return failed("no verdict: the thief's request failed: " + answer.error().message);
  if (answer->status == 200 && answer->body.find(victim.secret) != std::string::npos) {
    return exploited("the thief listed alice's projects " + how + " and read her secret project '" + victim.secret + "'");
  }
  if (const auto code = refusal_in(*answer)) {
    AttackResult r = blocked("the server refused the thief " + how + ": " + describe(*answer));
    r.refusal = *code;
    return r;
  }
  return failed("no verdict: the thief " + how + " got " + describe(*answer) + " without alice's secret in it");
}

std::string JwtParts::signed_part() const {
  return security::base64url_encode(header.dump()) + "." + security::base64url_encode(payload.dump());
}

Result<JwtParts> split_jwt(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) return Error{ErrorCode::kInvalidField, "not a JWT: fewer than three parts"};
  JwtParts parts;
  LAB_ASSIGN_OR_RETURN(auto header, security::base64url_decode(token.substr(0, first)));
  LAB_ASSIGN_OR_RETURN(auto payload, security::base64url_decode(token.substr(first + 1, second - first - 1)));
  parts.header = Json::parse(header, nullptr, false);
  parts.payload = Json::parse(payload, nullptr, false);
  if (!parts.header.is_object() || !parts.payload.is_object()) {
    return Error{ErrorCode::kInvalidField, "not a JWT: its header or payload is not a JSON object"};
  }
  parts.signature = std::string(token.substr(second + 1));
  return parts;
}

}  // namespace lab::attacks

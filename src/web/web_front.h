// WebFront: the coordinator's HTTPS front (stage 5). It serves the dashboard's pages and assets, turns REST calls
// into protocol requests for the transport-neutral Coordinator (so the stage's chain of controls judges every one),
// and owns what only the web has: signing in (the session's tokens and their cookies), refreshing, signing out,
// the live task streams, and the headers and CORS answer every response carries (ResponsePolicy).
//
// What the controls read comes from the request as WebCredentials: the access token from "Authorization: Bearer"
// (an agent, or the page's script) or else from its cookie (the browser), the fingerprint and CSRF cookies, the
// X-CSRF-Token header and the Origin.
#pragma once

#include <memory>
#include <string>

#include "coordinator/coordinator.h"
#include "coordinator/front_server.h"
#include "web/cookies.h"
#include "web/https_server.h"
#include "web/live_updates.h"
#include "web/recent_events.h"
#include "web/response_policy.h"
#include "web/session_authority.h"
#include "web/web_tokens.h"

namespace lab::web {

struct WebFrontOptions {
  HttpsServerOptions server;
  ResponsePolicyOptions responses;  // what the ResponsePolicy is made with
  bool hardened_cookies = true;  // the "hardened-cookie" control
  bool output_encoding = true;   // the "output-encoding" control: the pages write peer text as text, never as HTML
  bool origin_check = true;      // the chain's origin-check, applied to the refresh the front answers itself
  bool csrf_check = true;        // the chain's csrf-token, likewise
};

class WebFront final : public HttpHandler, public coordinator::FrontServer {
 public:
  // `responses` is shared with the chain's origin-check, so both know the same origins as the site's own.
  WebFront(coordinator::Coordinator& coordinator, WebTokens& tokens, SessionAuthority& sessions,
           std::shared_ptr<ResponsePolicy> responses, WebFrontOptions options);
  ~WebFront() override;

  HttpResponse handle(const HttpRequest& request) override;
  bool is_slow(const HttpRequest& request) const override;
  HttpResponse refused(int status, std::string_view reason) override;

  Status start() override;
  std::uint16_t port() const override { return server_.port(); }
  std::string_view transport() const override { return "https"; }
  void stop() override { server_.stop(); }

  const LiveUpdates& live_updates() const { return *live_; }

 private:
  HttpResponse route(const HttpRequest& request);
  HttpResponse call(const HttpRequest& request, std::string type, Json payload);
  HttpResponse sign_in(const HttpRequest& request);
  HttpResponse refresh(const HttpRequest& request);
  // A token for another service of the deployment (POST /api/session/service-token {"audience"}), for the
  // signed-in caller's session, bound to a new fingerprint whose value the answer carries.
  HttpResponse service_token(const HttpRequest& request);
  HttpResponse stream(const HttpRequest& request, const std::string& project_id);
  HttpResponse page(const HttpRequest& request);
  // The admin panel's views beyond the sessions: the chain's counters and the recent events, shown to whoever
  // may monitor sessions (list_sessions passes the chain for them).
  HttpResponse admin_view(const HttpRequest& request, bool events);
  // The tokens and cookies of a signed-in session: the access token (body and cookie), a new fingerprint cookie,
  // the refresh token's cookie and the CSRF token (body and readable cookie).
  HttpResponse issue_tokens(AccessClaims claims, const std::string& refresh_token, int status);
  coordinator::RequestOrigin origin_of(const HttpRequest& request) const;

  coordinator::Coordinator& coordinator_;
  WebTokens& tokens_;
  SessionAuthority& sessions_;
  WebFrontOptions options_;
  std::shared_ptr<ResponsePolicy> policy_;
  std::shared_ptr<LiveUpdates> live_;
  std::shared_ptr<RecentEvents> recent_;
  HttpsServer server_;
};

// An error as the web front answers it: the HTTP status for its code (401, 403, 404, 409, 413, 423, 429 with
// Retry-After, ...) and {"error": {"code", "message"}}.
HttpResponse error_response(const Error& error);

}  // namespace lab::web

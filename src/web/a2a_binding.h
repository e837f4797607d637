// The coordinator as an A2A 1.0 agent: its Agent Card (served at /.well-known/agent-card.json) and the JSON-RPC
// binding (POST /a2a) for SendMessage, GetTask, ListTasks and CancelTask. An A2A task is one of the lab's tasks
// and its contextId is the task's project; every call becomes a protocol request for the Coordinator, so the
// stage's chain of controls judges it exactly as it judges the REST API.
//
// The card says truthfully how to authenticate: an ES256 bearer token from POST /api/session *and* the
// fingerprint cookie issued with it, both in one security requirement (a token alone is refused).
#pragma once

#include <string>

#include "coordinator/coordinator.h"
#include "web/http_message.h"

namespace lab::web {

// The Agent Card of the coordinator reached at `base_url` ("https://localhost:7105"); `fingerprint_cookie` is the
// cookie's name as the server sets it.
Json agent_card(const std::string& base_url, const std::string& fingerprint_cookie);

// One JSON-RPC 2.0 call (the request's body) on behalf of `origin`; the HTTP response carries the JSON-RPC
// response (errors included: parse, invalid request, unknown method, invalid params, task not found, version not
// supported, and the lab's refusals with their code in error.data).
HttpResponse a2a_call(coordinator::Coordinator& coordinator, const HttpRequest& request,
                      const coordinator::RequestOrigin& origin);

}  // namespace lab::web

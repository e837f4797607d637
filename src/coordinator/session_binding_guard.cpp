#include "coordinator/session_binding_guard.h"

#include "security/signed_request.h"

namespace lab::coordinator {
namespace {

struct Compared {
  std::string_view what;
  std::string bound;    // as recorded at login
  std::string present;  // as this request arrives
};

Compared compare(Binding binding, const Caller& caller, GuardContext& context) {
  switch (binding) {
    case Binding::kAddress:
      return {"address", caller.bound_address(), context.origin.peer.address};
    case Binding::kCertificate:
      return {"client certificate", caller.bound_certificate(), context.origin.peer.tls_fingerprint};
    case Binding::kClient: {
      const auto& auth = signed_auth(context);
      return {"client name", caller.bound_client(), auth ? auth->params.client : std::string()};
    }
  }
  return {"binding", "", ""};
}

}  // namespace

Verdict SessionBindingGuard::check(GuardContext& context) {
  if (!context.caller) return std::nullopt;
  const Caller& caller = *context.caller;
  const Compared c = compare(binding_, caller, context);
  // A connection without TLS (mutual TLS switched off) presents no certificate: there is nothing to bind.
  if (binding_ == Binding::kCertificate && c.present.empty()) return std::nullopt;
  // Migration is the one request a session may send from a new address: it moves the session there, once the
  // agent has proved its key again (the session policy's migrate). The certificate and client name still bind.
  if (binding_ == Binding::kAddress && context.permission == Permission::kSessionMigrate) return std::nullopt;
  // FIX V-004: a session is refused anywhere but where it was issued (address, certificate, client name).
  // FIX V-005: another agent presenting the session has another certificate: refused, and the session ended.
  if (c.bound.empty() || c.bound == c.present) return std::nullopt;
  const std::string detail = "session of " + caller.agent_id + " presented with another " + std::string(c.what) +
                             " (" + (c.present.empty() ? "none" : c.present.substr(0, 16)) + " instead of " +
                             c.bound.substr(0, 16) + ")";
  if (on_mismatch_) on_mismatch_(caller, detail);
  return Rejection{Error{refusal_, "this session was issued to another " + std::string(c.what) +
                                       (on_mismatch_ ? "; it has been ended" : "")},
                   detail};
}

}  // namespace lab::coordinator

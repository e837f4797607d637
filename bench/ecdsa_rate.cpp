#include "ecdsa_rate.h"

#include "core/envelope.h"
#include "core/json_fields.h"
#include "cpu_watch.h"
#include "security/ecdsa.h"
#include "security/signed_request.h"
#include "security/session_token.h"

namespace lab::bench {

Result<double> ecdsa_verifications_per_cpu_second(std::chrono::milliseconds cpu_budget) {
  LAB_ASSIGN_OR_RETURN(security::SigningKey key, security::SigningKey::generate());
  LAB_ASSIGN_OR_RETURN(security::VerifyKey verify_key, key.public_key());
  // A request as a stage 3 client sends it, and the base and signature the server reads back from it.
  Json request{{"type", "get_project"},
               {"request_id", 1},
               {"session_id", security::SessionToken::generate().to_wire()},
               {"payload", {{"project_id", "00000000-0000-4000-8000-000000000000"}}}};
  const std::string key_id(64, 'f');
  if (auto s = security::sign_request_ecdsa(request, key, key_id, "lab-agent/1.0", 1'700'000'000); !s) {
    return s.error();
  }
  Json request_id;
  LAB_ASSIGN_OR_RETURN(Request parsed, parse_request(request.dump(), request_id));
  LAB_ASSIGN_OR_RETURN(security::AuthBlock auth, security::read_auth_block(parsed.auth));
  LAB_ASSIGN_OR_RETURN(std::string base, security::signature_base_of(parsed, auth));

  const double budget = std::chrono::duration<double>(cpu_budget).count();
  const double start = thread_cpu_seconds();
  double used = 0;
  int verified = 0;
  while (verified < 1'000'000 && used < budget) {
    for (int i = 0; i < 16; ++i, ++verified) {
      if (!verify_key.verify(base, auth.signature)) {
        return Error{ErrorCode::kInternalError, "a good ECDSA signature did not verify"};
      }
    }
    used = thread_cpu_seconds() - start;
  }
  return used > 0 ? verified / used : 0.0;
}

}  // namespace lab::bench

#include "client/client_profile.h"

#include "client/certificate_profile.h"

#include "core/clock.h"
#include "embedded/embedded_files.h"
#include "security/request_signature.h"

namespace lab::client {
namespace {

// Stage 1: a claimed identity, nothing signed.
class ClaimedIdentityProfile final : public ClientProfile {
 public:
  int stage() const override { return 1; }
  bool checks_passwords() const override { return false; }
  Json login_payload(const Identity& identity) const override {
    Json payload{{"agent_id", identity.agent_id}};
    if (identity.claims_role) payload["role"] = to_string(identity.role);
    return payload;
  }
  Status after_login(net::ProtocolClient&, const Json&, const Identity&) const override { return ok_status(); }
  Identity lab_identity(std::string_view claimed_name, std::string_view, Role role) const override {
    return Identity{std::string(claimed_name), role, ""};
  }
  std::string_view warning() const override { return "INSECURE: deliberately vulnerable"; }
};

// Stage 2: a password at login, then every request signed with the session's HMAC key.
class PasswordHmacProfile final : public ClientProfile {
 public:
  int stage() const override { return 2; }
  bool checks_passwords() const override { return true; }
  Json login_payload(const Identity& identity) const override {
    return Json{{"agent_id", identity.agent_id}, {"password", identity.password}};
  }
  Status after_login(net::ProtocolClient& client, const Json& login_data, const Identity& identity) const override {
    const std::string key_hex = login_data.value("signing_key", "");
    auto key = security::Key256::from_hex(key_hex);
    if (!key) return Error{ErrorCode::kInvalidField, "the login response's signing_key is not a 256-bit hex key"};
    client.hook = [key = *key, agent = login_data.value("agent_id", identity.agent_id)](Json& request) {
      if (request.value("type", "") == "login") return;
      security::sign_request(request, key, agent, unix_seconds(system_clock().now()));
    };
    return ok_status();
  }
  Identity lab_identity(std::string_view, std::string_view lab_user, Role role) const override {
    return Identity{std::string(lab_user), role, lab_password(lab_user)};
  }
  std::string_view warning() const override { return "PARTIAL SECURITY - still vulnerable"; }
};

}  // namespace

const ClientProfile& profile_for(int stage) {
  static const ClaimedIdentityProfile stage1;
  static const PasswordHmacProfile stage2;
  if (stage >= 3) return certificate_profile();  // stage 4 keeps stage 3's clients
  return stage == 2 ? static_cast<const ClientProfile&>(stage2) : stage1;
}

namespace {

Json lab_users() {
  const Json doc = Json::parse(embedded::file("sample_data/valid_credentials.json").value_or("{}"), nullptr, false);
  return doc.is_discarded() ? Json::array() : doc.value("users", Json::array());
}

}  // namespace

std::string lab_password(std::string_view agent_id) {
  for (const auto& u : lab_users()) {
    if (u.value("agent_id", "") == agent_id) return u.value("password", "");
  }
  return {};
}

std::vector<std::string> lab_user_ids() {
  std::vector<std::string> ids;
  for (const auto& u : lab_users()) ids.push_back(u.value("agent_id", ""));
  return ids;
}

std::vector<std::string> lab_certificate_holders() {
  std::vector<std::string> holders = lab_user_ids();
  holders.emplace_back(kInsiderWithoutAccount);
  return holders;
}

}  // namespace lab::client

#include "stage2_improved/credential_store.h"

#include "security/bcrypt_password.h"

namespace lab::stage2 {

Result<CredentialStore> CredentialStore::from_json(std::string_view json_text, int bcrypt_cost) {
  const Json doc = Json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("users") || !doc["users"].is_array()) {
    return Error{ErrorCode::kInvalidField, "credentials: expected {\"users\":[{agent_id, password, role}]}"};
  }
  CredentialStore store;
  for (const auto& u : doc["users"]) {
    if (!u.is_object() || !u.value("agent_id", Json()).is_string() || !u.value("password", Json()).is_string()) {
      return Error{ErrorCode::kInvalidField, "credentials: every user needs agent_id and password strings"};
    }
    const auto role = role_from_string(u.value("role", "worker"));
    if (!role) return Error{ErrorCode::kInvalidField, "credentials: unknown role for " + u.value("agent_id", "")};
    auto hash = security::bcrypt_hash(u.value("password", ""), bcrypt_cost);
    if (!hash) return hash.error();
    const std::string id = u.value("agent_id", "");
    store.users_[id] = UserRecord{id, std::move(*hash), *role};
  }
  auto dummy = security::bcrypt_hash("not-a-user-password", bcrypt_cost);
  if (!dummy) return dummy.error();
  store.dummy_hash_ = std::move(*dummy);
  return store;
}

std::optional<Role> CredentialStore::verify(const std::string& agent_id, std::string_view password) const {
  auto it = users_.find(agent_id);
  if (it == users_.end()) {
    (void)security::bcrypt_verify(password, dummy_hash_);
    return std::nullopt;
  }
  // VULN V-032: the password goes to bcrypt as typed: bcrypt reads a C string of at most 72 bytes, so bytes after a NUL or past the 72nd are never checked.
  if (!security::bcrypt_verify(password, it->second.password_hash)) return std::nullopt;
  return it->second.role;
}

}  // namespace lab::stage2

#include "stage3_secure/account_roster.h"

#include "security/bcrypt_password.h"
#include "security/hmac.h"

namespace lab::stage3 {

namespace {

constexpr int kBcryptCost = 10;

Result<std::string> hash_with(PasswordHash kind, std::string_view password, const security::Argon2Params& params) {
  return kind == PasswordHash::kArgon2id ? security::argon2id_hash(password, params)
                                         : security::bcrypt_hash(password, kBcryptCost);
}

}  // namespace

Result<AccountRoster> AccountRoster::from_json(std::string_view text, const security::Argon2Params& params,
                                               PasswordHash kind) {
  const Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("users") || !doc["users"].is_array()) {
    return Error{ErrorCode::kInvalidField, "the credentials file is not {\"users\": [...]}"};
  }
  AccountRoster roster;
  roster.kind_ = kind;
  roster.params_ = params;
  for (const auto& u : doc["users"]) {
    const auto role = role_from_string(u.value("role", ""));
    const std::string id = u.value("agent_id", "");
    if (!role || id.empty()) return Error{ErrorCode::kInvalidField, "a user needs an agent_id and a known role"};
    if (const std::string stored = u.value("password_hash", ""); !stored.empty()) {
      roster.accounts_[id] = Account{*role, stored};
      continue;
    }
    auto hash = hash_with(kind, u.value("password", ""), params);
    if (!hash) return hash.error();
    roster.accounts_[id] = Account{*role, std::move(*hash)};
  }
  auto throwaway = hash_with(kind, "no account has this password", params);
  if (!throwaway) return throwaway.error();
  roster.unknown_account_hash_ = std::move(*throwaway);
  return roster;
}

Result<std::string> AccountRoster::enroll(const std::string& agent_id, Role role) {
  if (role_of(agent_id)) return Error{ErrorCode::kAgentExists, "agent " + agent_id + " already has an account"};
  std::string password = security::random_hex(16);  // 128 bits, shown once
  auto hash = hash_with(kind_, password, params_);  // slow on purpose: outside the lock
  if (!hash) return hash.error();
  std::lock_guard lock(mutex_);
  if (!accounts_.emplace(agent_id, Account{role, std::move(*hash)}).second) {
    return Error{ErrorCode::kAgentExists, "agent " + agent_id + " already has an account"};
  }
  return password;
}

AccountRoster::AccountRoster(AccountRoster&& other) noexcept
    : accounts_(std::move(other.accounts_)),
      unknown_account_hash_(std::move(other.unknown_account_hash_)),
      kind_(other.kind_),
      params_(other.params_) {}

std::optional<Role> AccountRoster::verify(std::string_view agent_id, std::string_view password) {
  const std::string id(agent_id);
  std::string hash;
  std::optional<Role> role;
  {
    std::lock_guard lock(mutex_);
    const auto it = accounts_.find(id);
    hash = it == accounts_.end() ? unknown_account_hash_ : it->second.password_hash;
    if (it != accounts_.end()) role = it->second.role;
  }
  // FIX V-015: the password is checked with Argon2id as the second factor, after the certificate key proof.
  // FIX V-032: Argon2id reads the whole password, NUL bytes and all past the 72nd byte (no truncation).
  const bool matches = kind_ == PasswordHash::kArgon2id ? security::argon2id_verify(password, hash)
                                                        : security::bcrypt_verify(password, hash);
  if (!role || !matches) return std::nullopt;
  if (kind_ == PasswordHash::kArgon2id && security::argon2id_needs_rehash(hash, params_)) {
    if (auto rehashed = security::argon2id_hash(password, params_); rehashed) {
      std::lock_guard lock(mutex_);
      auto& account = accounts_[id];
      if (account.password_hash == hash) account.password_hash = std::move(*rehashed);  // unless a login beat us
    }
  }
  return role;
}

std::optional<std::string> AccountRoster::password_hash(std::string_view agent_id) const {
  std::lock_guard lock(mutex_);
  const auto it = accounts_.find(std::string(agent_id));
  if (it == accounts_.end()) return std::nullopt;
  return it->second.password_hash;
}

std::optional<Role> AccountRoster::role_of(std::string_view agent_id) const {
  std::lock_guard lock(mutex_);
  const auto it = accounts_.find(std::string(agent_id));
  if (it == accounts_.end()) return std::nullopt;
  return it->second.role;
}

}  // namespace lab::stage3

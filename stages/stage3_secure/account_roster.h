// Stage 3's accounts: the lab's users (data/sample_data/valid_credentials.json,
// the same people as stage 2) with their roles, each password kept only as an
// Argon2id hash made when the stage starts. A login proves an agent's
// certificate key *and* its password: two factors, something held and
// something known.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/domain.h"
#include "core/result.h"
#include "security/argon2_password.h"

namespace lab::stage3 {

struct Account {
  Role role = Role::kWorker;
  std::string password_hash;  // "$argon2id$..." (or "$2b$..." with the control switched off)
};

// How passwords are hashed: Argon2id over the whole password, or (the `whole-password-hash` control switched
// off) bcrypt, which reads at most 72 bytes and stops at a NUL, to show what the control is for.
enum class PasswordHash { kArgon2id, kBcrypt };

class AccountRoster {
 public:
  // From the credentials file's JSON text; hashes every password with `params`.
  static Result<AccountRoster> from_json(std::string_view text, const security::Argon2Params& params,
                                         PasswordHash hash = PasswordHash::kArgon2id);

  // The account's role when `password` matches; nullopt for a wrong password or an unknown account (the same
  // work either way: an unknown name is checked against a throwaway hash, so timing does not tell names apart).
  std::optional<Role> verify(std::string_view agent_id, std::string_view password) const;
  std::optional<Role> role_of(std::string_view agent_id) const;

 private:
  std::unordered_map<std::string, Account> accounts_;
  std::string unknown_account_hash_;
  PasswordHash kind_ = PasswordHash::kArgon2id;
};

}  // namespace lab::stage3

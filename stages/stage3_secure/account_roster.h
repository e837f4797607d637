// Stage 3's accounts: the lab's users (data/sample_data/valid_credentials.json,
// the same people as stage 2) with their roles, each password kept only as an
// Argon2id hash made when the stage starts (or the hash a user's entry
// carries as "password_hash", as a credential store would keep it). A login
// proves an agent's certificate key *and* its password: two factors,
// something held and something known.
//
// Rehash on login: a hash made with other Argon2id parameters than the
// roster's (the parameters were raised since) is replaced, after a login that
// verified against it, by a hash of the same password with the current ones.
//
// Thread safety: verify may run on several threads at once (the logins of
// the stage's slow-operation pool); the hashing itself runs outside the lock.
#pragma once

#include <mutex>
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
  // From the credentials file's JSON text; hashes every "password" with `params` (a user may carry a
  // "password_hash" instead, taken as it is).
  static Result<AccountRoster> from_json(std::string_view text, const security::Argon2Params& params,
                                         PasswordHash hash = PasswordHash::kArgon2id);

  // The account's role when `password` matches; nullopt for a wrong password or an unknown account (the same
  // work either way: an unknown name is checked against a throwaway hash, so timing does not tell names apart).
  // A verified login against a hash with other parameters rehashes it (see above).
  std::optional<Role> verify(std::string_view agent_id, std::string_view password);
  std::optional<Role> role_of(std::string_view agent_id) const;
  // A new account `agent_id` with `role` and a password made here from the CSPRNG (returned, kept only as its
  // hash); AGENT_EXISTS when the name is taken.
  Result<std::string> enroll(const std::string& agent_id, Role role);
  // The stored hash (it names its parameters), or nullopt for an unknown account.
  std::optional<std::string> password_hash(std::string_view agent_id) const;

  AccountRoster() = default;
  AccountRoster(AccountRoster&& other) noexcept;
  AccountRoster& operator=(AccountRoster&&) = delete;

 private:
  mutable std::mutex mutex_;  // guards the hashes of accounts_ (rehash on login)
  std::unordered_map<std::string, Account> accounts_;
  std::string unknown_account_hash_;
  PasswordHash kind_ = PasswordHash::kArgon2id;
  security::Argon2Params params_;
};

}  // namespace lab::stage3

// Stage 2 users: agent id, bcrypt password hash and role, loaded from a JSON
// credentials file (data/sample_data/valid_credentials.json by default).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "core/domain.h"
#include "core/result.h"

namespace lab::stage2 {

struct UserRecord {
  std::string agent_id;
  std::string password_hash;  // "$2b$..."
  Role role = Role::kWorker;
};

class CredentialStore {
 public:
  // Hashes every plaintext password of the file with bcrypt at `cost`.
  static Result<CredentialStore> from_json(std::string_view json_text, int bcrypt_cost);

  // The user's role when `password` is right; nullopt otherwise (unknown users cost as much as known ones).
  std::optional<Role> verify(const std::string& agent_id, std::string_view password) const;
  std::size_t size() const { return users_.size(); }

 private:
  std::unordered_map<std::string, UserRecord> users_;
  std::string dummy_hash_;  // verified against for unknown users, so timing does not reveal them
};

}  // namespace lab::stage2

// RolePermissions: an access policy that is data — for each restricted
// permission, the roles that hold it. A permission the table does not list is
// open to every authenticated caller, which is how a weak stage shows its gaps
// as plainly as a strong one shows its rules.
#pragma once

#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include "coordinator/policies.h"

namespace lab::coordinator {

class RolePermissions final : public AccessPolicy {
 public:
  using Rules = std::map<Permission, std::set<Role>>;
  explicit RolePermissions(Rules rules) : rules_(std::move(rules)) {}

  Status authorize(const Caller& caller, Permission permission) override;
  const Rules& rules() const { return rules_; }

 private:
  Rules rules_;
};

}  // namespace lab::coordinator

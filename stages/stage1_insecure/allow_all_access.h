// Stage 1 access policy: there is none.
#pragma once

#include "coordinator/policies.h"

namespace lab::stage1 {

class AllowAllAccess final : public coordinator::AccessPolicy {
 public:
  Status authorize(const coordinator::Caller&, coordinator::Permission) override {
    // VULN V-019: no role-based access control — every caller may run every operation, change_role and subscribe_events included.
    return ok_status();
  }
};

}  // namespace lab::stage1

#include "coordinator/policy_guards.h"

namespace lab::coordinator {

Verdict SessionGuard::check(GuardContext& context) {
  auto caller = policy_.authenticate(context.request, context.origin);
  if (!caller) return Rejection{caller.error(), "authentication refused: " + caller.error().message};
  context.caller = std::move(*caller);
  return std::nullopt;
}

Verdict AccessGuard::check(GuardContext& context) {
  if (!context.caller) return Rejection{Error{ErrorCode::kAuthRequired, "log in first"}, "no caller to authorize"};
  if (auto allowed = policy_.authorize(*context.caller, context.permission); !allowed) {
    return Rejection{allowed.error(), context.caller->agent_id + " (" + std::string(to_string(context.caller->role)) +
                                          ") lacks " + std::string(to_string(context.permission))};
  }
  return std::nullopt;
}

Verdict PayloadRulesGuard::check(GuardContext& context) {
  if (auto s = check_(context.request.type, context.request.payload); !s) {
    return Rejection{s.error(), "payload refused: " + s.error().message};
  }
  return std::nullopt;
}

}  // namespace lab::coordinator

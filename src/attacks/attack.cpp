#include "attacks/attack.h"

#include <memory>

#include "attacks/attack_list.h"

namespace lab::attacks {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kExploited:
      return "exploited";
    case Outcome::kBlocked:
      return "blocked";
    case Outcome::kError:
      return "error";
  }
  return "error";
}

const std::vector<const Attack*>& all_attacks() {
  static const auto owned = [] {
    std::vector<std::unique_ptr<Attack>> list;
    list.push_back(make_hijack_stolen_session());
    list.push_back(make_session_fixation());
    list.push_back(make_stale_permissions());
    return list;
  }();
  static const auto view = [] {
    std::vector<const Attack*> v;
    for (const auto& a : owned) v.push_back(a.get());
    return v;
  }();
  return view;
}

const Attack* find_attack(std::string_view id) {
  for (const Attack* a : all_attacks()) {
    if (a->id() == id) return a;
  }
  return nullptr;
}

net::ClientOptions from_other_host(const Target& target) {
  auto ep = target.endpoint;
  ep.bind_address = target.other_address;
  return ep;
}

agents::Identity victim_identity(const Target& target, Role role) {
  return {"victim-" + target.tag, role, ""};
}

agents::Identity attacker_identity(const Target& target, Role role) {
  return {"mallory-" + target.tag, role, ""};
}

agents::Identity admin_identity(const Target& target) { return {"admin-" + target.tag, Role::kAdmin, ""}; }

}  // namespace lab::attacks

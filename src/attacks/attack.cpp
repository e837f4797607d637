#include "attacks/attack.h"

#include <memory>

#include "attacks/attack_list.h"
#include "core/enum_names.h"
#include "security/lab_ca_directory.h"

namespace lab::attacks {

namespace {

constexpr NameTable<Outcome, 4> kOutcomes{{
    {Outcome::kExploited, "exploited"},
    {Outcome::kBlocked, "blocked"},
    {Outcome::kError, "error"},
    {Outcome::kNotApplicable, "n/a"},
}};

}  // namespace

std::string_view to_string(Outcome outcome) { return name_of(kOutcomes, outcome, "error"); }

const std::vector<const Attack*>& all_attacks() {
  static const auto owned = [] {
    std::vector<std::unique_ptr<Attack>> list;
    list.push_back(make_predict_session_id());
    list.push_back(make_recover_prng_seed());
    list.push_back(make_hijack_stolen_session());
    list.push_back(make_session_fixation());
    list.push_back(make_reuse_after_logout());
    list.push_back(make_idle_expiry());
    list.push_back(make_absolute_lifetime());
    list.push_back(make_concurrent_sessions());
    list.push_back(make_no_authentication());
    list.push_back(make_privilege_escalation());
    list.push_back(make_stale_permissions());
    list.push_back(make_replay_signed_request());
    list.push_back(make_tamper_signed_request());
    list.push_back(make_password_brute_force());
    list.push_back(make_request_flood());
    list.push_back(make_oversize_message());
    list.push_back(make_malicious_payloads());
    list.push_back(make_state_disclosure_at_rest());
    list.push_back(make_state_tamper_at_rest());
    list.push_back(make_lost_update_race());
    list.push_back(make_crash_loses_acknowledged_work());
    list.push_back(make_eavesdrop_plaintext());
    list.push_back(make_slow_connection_exhaustion());
    list.push_back(make_forge_with_sniffed_key());
    list.push_back(make_audit_trail_missing());
    list.push_back(make_password_truncation());
    list.push_back(make_foreign_ca_certificate());
    list.push_back(make_forge_with_another_agents_key());
    list.push_back(make_rolled_back_sealed_record());
    list.push_back(make_edited_audit_log());
    list.push_back(make_login_flood());
    list.push_back(make_replay_to_another_instance());
    list.push_back(make_rate_limit_instance_hopping());
    list.push_back(make_demoted_session_on_another_instance());
    list.push_back(make_lockout_instance_hopping());
    list.push_back(make_session_data_in_redis());
    list.push_back(make_redis_without_credentials());
    list.push_back(make_jwt_alg_none());
    list.push_back(make_jwt_algorithm_confusion());
    list.push_back(make_jwt_tampered_claims());
    list.push_back(make_expired_access_token());
    list.push_back(make_stolen_token_without_cookie());
    list.push_back(make_token_for_another_audience());
    list.push_back(make_refresh_token_reuse());
    list.push_back(make_token_after_logout());
    list.push_back(make_sign_in_brute_force());
    list.push_back(make_web_privilege_escalation());
    list.push_back(make_web_request_flood());
    list.push_back(make_stored_xss_in_task_result());
    list.push_back(make_stored_xss_in_project_name());
    list.push_back(make_cross_site_request_forgery());
    list.push_back(make_clickjacking_frame());
    list.push_back(make_cross_origin_read());
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

client::Identity lab_user_identity(const Target& target, const std::string& claimed_name, const std::string& user,
                                   Role role) {
  auto who = client::profile_for(target.stage).lab_identity(claimed_name + "-" + target.tag, user, role);
  if (!target.certificate_dir.empty()) {
    const auto files = security::agent_files(target.certificate_dir, who.agent_id);
    who.certificate_file = files.certificate.string();
    who.private_key_file = files.private_key.string();
  }
  return who;
}

client::Identity victim_identity(const Target& target, Role role) {
  return lab_user_identity(target, "victim", "alice", role);
}

client::Identity attacker_identity(const Target& target, Role role) {
  // The coordinator-role insider of stage 2 on is carol; the outsider worker is bob.
  return lab_user_identity(target, "mallory", role == Role::kCoordinator ? "carol" : "bob", role);
}

client::Identity admin_identity(const Target& target) {
  return lab_user_identity(target, "admin", "admin", Role::kAdmin);
}

client::Identity insider_claiming(const Target& target, client::Identity claimed) {
  if (target.endpoint.tls) {
    claimed.certificate_file = target.endpoint.tls->certificate_file;
    claimed.private_key_file = target.endpoint.tls->private_key_file;
  } else if (!target.certificate_dir.empty()) {
    const auto insider = security::agent_files(target.certificate_dir, client::kInsiderWithoutAccount);
    claimed.certificate_file = insider.certificate.string();
    claimed.private_key_file = insider.private_key.string();
  }
  return claimed;
}

}  // namespace lab::attacks

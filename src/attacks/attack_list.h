// Factories of the individual attacks (one file each).
#pragma once

#include <memory>

#include "attacks/attack.h"

namespace lab::attacks {

std::unique_ptr<Attack> make_predict_session_id();
std::unique_ptr<Attack> make_recover_prng_seed();
std::unique_ptr<Attack> make_hijack_stolen_session();
std::unique_ptr<Attack> make_session_fixation();
std::unique_ptr<Attack> make_reuse_after_logout();
std::unique_ptr<Attack> make_idle_expiry();
std::unique_ptr<Attack> make_absolute_lifetime();
std::unique_ptr<Attack> make_concurrent_sessions();
std::unique_ptr<Attack> make_no_authentication();
std::unique_ptr<Attack> make_privilege_escalation();
std::unique_ptr<Attack> make_stale_permissions();
std::unique_ptr<Attack> make_replay_signed_request();
std::unique_ptr<Attack> make_tamper_signed_request();
std::unique_ptr<Attack> make_password_brute_force();
std::unique_ptr<Attack> make_request_flood();
std::unique_ptr<Attack> make_oversize_message();
std::unique_ptr<Attack> make_malicious_payloads();
std::unique_ptr<Attack> make_state_disclosure_at_rest();
std::unique_ptr<Attack> make_state_tamper_at_rest();
std::unique_ptr<Attack> make_lost_update_race();
std::unique_ptr<Attack> make_crash_loses_acknowledged_work();
std::unique_ptr<Attack> make_eavesdrop_plaintext();
std::unique_ptr<Attack> make_slow_connection_exhaustion();
std::unique_ptr<Attack> make_forge_with_sniffed_key();
std::unique_ptr<Attack> make_audit_trail_missing();
std::unique_ptr<Attack> make_password_truncation();
std::unique_ptr<Attack> make_foreign_ca_certificate();
std::unique_ptr<Attack> make_forge_with_another_agents_key();
std::unique_ptr<Attack> make_rolled_back_sealed_record();
std::unique_ptr<Attack> make_edited_audit_log();
std::unique_ptr<Attack> make_login_flood();
std::unique_ptr<Attack> make_replay_to_another_instance();
std::unique_ptr<Attack> make_rate_limit_instance_hopping();
std::unique_ptr<Attack> make_demoted_session_on_another_instance();
std::unique_ptr<Attack> make_lockout_instance_hopping();
std::unique_ptr<Attack> make_session_data_in_redis();
std::unique_ptr<Attack> make_redis_without_credentials();
std::unique_ptr<Attack> make_jwt_alg_none();
std::unique_ptr<Attack> make_jwt_algorithm_confusion();
std::unique_ptr<Attack> make_jwt_tampered_claims();
std::unique_ptr<Attack> make_expired_access_token();
std::unique_ptr<Attack> make_stolen_token_without_cookie();
std::unique_ptr<Attack> make_refresh_token_reuse();
std::unique_ptr<Attack> make_token_after_logout();
std::unique_ptr<Attack> make_sign_in_brute_force();
std::unique_ptr<Attack> make_stored_xss_in_task_result();
std::unique_ptr<Attack> make_stored_xss_in_project_name();
std::unique_ptr<Attack> make_cross_site_request_forgery();
std::unique_ptr<Attack> make_clickjacking_frame();
std::unique_ptr<Attack> make_cross_origin_read();
std::unique_ptr<Attack> make_token_for_another_audience();
std::unique_ptr<Attack> make_web_privilege_escalation();
std::unique_ptr<Attack> make_web_request_flood();

}  // namespace lab::attacks

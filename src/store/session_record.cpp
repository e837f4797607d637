#include <stdexcept>

#include "store/session_store.h"

namespace lab::store {

Json to_json(const SessionRecord& s) {
  Json j{{"session_id", s.id},
         {"agent_id", s.agent_id},
         {"role", lab::to_string(s.role)},
         {"created_ms", s.created_ms},
         {"last_seen_ms", s.last_seen_ms},
         {"client", s.client_address},
         {"ended", s.ended}};
  if (!s.tls_fingerprint.empty()) j["tls_fingerprint"] = s.tls_fingerprint;
  if (!s.client_name.empty()) j["client_name"] = s.client_name;
  // Written out as the stage chose to store it: a plaintext store shows the key.
  if (s.signing_key) j["signing_key"] = s.signing_key->to_hex();
  return j;
}

SessionRecord session_from_json(const Json& j) {
  SessionRecord s;
  s.id = j.at("session_id").get<std::string>();
  s.agent_id = j.at("agent_id").get<std::string>();
  const auto role = role_from_string(j.at("role").get<std::string>());
  if (!role) throw std::invalid_argument("session " + s.id + " has an unknown role");
  s.role = *role;
  s.created_ms = j.at("created_ms").get<std::int64_t>();
  s.last_seen_ms = j.at("last_seen_ms").get<std::int64_t>();
  s.client_address = j.value("client", std::string{});
  s.ended = j.value("ended", false);
  s.tls_fingerprint = j.value("tls_fingerprint", std::string{});
  s.client_name = j.value("client_name", std::string{});
  if (j.contains("signing_key")) {
    auto key = security::Key256::from_hex(j.at("signing_key").get<std::string>());
    if (!key) throw std::invalid_argument("session " + s.id + ": " + key.error().message);
    s.signing_key = *key;
  }
  return s;
}

std::optional<SessionSummary> SessionStore::summary(const security::SessionIdHash& id) const {
  return summary_of_id(id.to_hex());
}

std::optional<SessionSummary> SessionStore::summary_of_id(const std::string& id) const {
  auto found = find(id);
  if (!found) return std::nullopt;
  auto binding = std::make_shared<const SessionBinding>(
      SessionBinding{std::move(found->agent_id), std::move(found->client_address), std::move(found->tls_fingerprint),
                     std::move(found->client_name)});
  return SessionSummary{std::move(binding), found->created_ms, found->last_seen_ms, found->role, found->ended,
                        found->signing_key};
}

bool SessionStore::touch_hashed(const security::SessionIdHash& id, std::int64_t now_ms) {
  return touch(id.to_hex(), now_ms);
}

}  // namespace lab::store

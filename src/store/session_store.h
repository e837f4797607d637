// SessionStore: the table of live sessions. The store only keeps records; what
// a session id is worth (how it is issued, checked, bound and ended) is the
// stage's session policy, which is where the lessons live.
// Thread safety: every implementation may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/result.h"
#include "core/session_binding.h"
#include "security/key256.h"
#include "security/session_token.h"

namespace lab::store {

struct SessionRecord {
  std::string id;
  std::string agent_id;
  Role role = Role::kWorker;
  std::int64_t created_ms = 0;    // unix milliseconds
  std::int64_t last_seen_ms = 0;  // unix milliseconds, as of the last touch
  std::string client_address;     // the peer address at login
  std::string tls_fingerprint;    // the client certificate at login (stages with mutual TLS), else empty
  std::string client_name;        // what the client declared itself to be at login, else empty
  std::optional<security::Key256> signing_key;  // the key a stage shares with the client, if any
  bool ended = false;             // logged out but kept (a stage that forgets to delete)
};

// What validating a request needs of a session, read in one lookup: its bindings (shared, not copied), its role
// and its times.
struct SessionSummary {
  std::shared_ptr<const SessionBinding> binding;  // never null
  std::int64_t created_ms = 0;
  std::int64_t last_seen_ms = 0;
  Role role = Role::kWorker;
  bool ended = false;
  std::optional<security::Key256> signing_key;  // the key a stage shares with the client, if any
};

Json to_json(const SessionRecord& s);
// Trusted input (a state file the stage chose to trust); throws on shape errors.
SessionRecord session_from_json(const Json& j);

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Adds the session; false (and nothing changes) when the id is taken.
  virtual bool insert(SessionRecord session) = 0;
  // Adds the session or replaces the one with the same id.
  virtual void put(SessionRecord session) = 0;
  virtual std::optional<SessionRecord> find(const std::string& id) const = 0;
  // Records activity; false when there is no such session. Not persisted on
  // its own: the time rides along with the session's next change.
  virtual bool touch(const std::string& id, std::int64_t now_ms) = 0;

  // The per-request path of a stage that keeps ids hashed (its record's id is the hash in hex): the session
  // stored under `id`'s hex, without building a record. A store that can do better than find() overrides them.
  virtual std::optional<SessionSummary> summary(const security::SessionIdHash& id) const;
  virtual bool touch_hashed(const security::SessionIdHash& id, std::int64_t now_ms);
  // The same for a stage that keeps ids as they are issued (stage 2): the session stored under `id`.
  virtual std::optional<SessionSummary> summary_of_id(const std::string& id) const;

  virtual bool erase(const std::string& id) = 0;
  // Removes every session `expired` says yes to; returns how many.
  virtual std::size_t erase_if(const std::function<bool(const SessionRecord&)>& expired) = 0;
  // Gives every session of the agent the new role; returns how many changed.
  virtual std::size_t set_role_of_agent(const std::string& agent_id, Role role) = 0;
  virtual std::vector<SessionRecord> sessions_of_agent(const std::string& agent_id) const = 0;
  // Every session, in no particular order (session monitoring).
  virtual std::vector<SessionRecord> all() const = 0;
  virtual std::size_t size() const = 0;
};

}  // namespace lab::store

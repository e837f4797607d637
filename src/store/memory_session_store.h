// MemorySessionStore: the session table held in this process (stages 1-3).
// Each change except a touch is reported to the ChangeSink, if one is given.
//
// Held for a million live sessions, so that validating a request costs one
// hash lookup and no copy:
//   - an id of 64 lower-case hex digits (stage 3's SHA-256 of the session
//     token) is kept as its 32 bytes, any other id (stages 1-2) as text, in
//     one table with no per-lookup allocation either way;
//   - what a session is bound to (agent, address, certificate, client name)
//     is kept once for all the sessions with the same values
//     (SessionBindingPool); a session holds a 4-byte handle, and summary()
//     hands out the shared binding, not copies of its strings;
//   - an agent's sessions are linked to each other, so the session cap and a
//     role change cost that agent's sessions, not a scan of the table;
//   - a signing key (stage 2) is kept beside the table, for the sessions
//     that have one.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

#include "store/change.h"
#include "store/session_binding_pool.h"
#include "store/session_store.h"

namespace lab::store {

class MemorySessionStore final : public SessionStore {
 public:
  explicit MemorySessionStore(ChangeSink* changes = nullptr) : changes_(changes) {}

  bool insert(SessionRecord session) override;
  void put(SessionRecord session) override;
  std::optional<SessionRecord> find(const std::string& id) const override;
  bool touch(const std::string& id, std::int64_t now_ms) override;
  std::optional<SessionSummary> summary(const security::SessionIdHash& id) const override;
  bool touch_hashed(const security::SessionIdHash& id, std::int64_t now_ms) override;
  std::optional<SessionSummary> summary_of_id(const std::string& id) const override;
  bool erase(const std::string& id) override;
  std::size_t erase_if(const std::function<bool(const SessionRecord&)>& expired) override;
  std::size_t set_role_of_agent(const std::string& agent_id, Role role) override;
  std::vector<SessionRecord> sessions_of_agent(const std::string& agent_id) const override;
  std::vector<SessionRecord> all() const override;
  std::size_t size() const override;

  // Replaces the content with saved records (a JSON array). Throws on a
  // malformed record, leaving the store as it was.
  void restore(const Json& sessions);

 private:
  using HashedId = std::array<unsigned char, 32>;
  // A session id as held: the bytes of a hashed id, or the text of any other.
  using Key = std::variant<HashedId, std::string>;
  // Hash and equality over held keys, and over the forms a lookup brings (bytes, text), without making a Key.
  struct KeyHasher {
    using is_transparent = void;
    std::size_t operator()(const HashedId& id) const noexcept;  // the bytes are a SHA-256 output already
    std::size_t operator()(std::string_view id) const noexcept { return std::hash<std::string_view>{}(id); }
    std::size_t operator()(const Key& key) const noexcept;
  };
  struct KeyEqual {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      return same(view(a), view(b));
    }

   private:
    using View = std::variant<const HashedId*, std::string_view>;
    static View view(const Key& k);
    static View view(const HashedId& id) { return &id; }
    static View view(std::string_view id) { return id; }
    static bool same(const View& a, const View& b);
  };

  struct Held;
  using Entry = std::pair<const Key, Held>;
  struct Held {
    SessionBindingPool::Handle binding = 0;
    Role role = Role::kWorker;
    bool ended = false;
    std::int64_t created_ms = 0;
    std::int64_t last_seen_ms = 0;
    Entry* previous_of_agent = nullptr;  // the agent's other sessions (nodes do not move)
    Entry* next_of_agent = nullptr;
  };
  using Table = std::unordered_map<Key, Held, KeyHasher, KeyEqual>;

  static std::optional<HashedId> hashed_id(std::string_view id);
  static std::string id_text(const Key& key);
  Table::iterator locate(std::string_view id);
  Table::const_iterator locate(std::string_view id) const;
  // Adds `session` (or replaces the one with its id when `replace`); false when the id is taken.
  bool insert_locked(SessionRecord& session, bool replace);
  void remove(Table::iterator it);  // reports nothing
  void link_to_agent(Entry& entry);
  void unlink_from_agent(Entry& entry);
  const SessionBinding& binding_of(const Held& held) const { return *bindings_.binding(held.binding); }
  SessionRecord record_of(const Entry& entry) const;
  SessionSummary summary_of(const Held& held) const;
  void report(const std::string& id, const Entry* entry);  // null = removed
  // Calls `f(entry)` for every session; `f` returns true to remove the session. Returns how many were removed.
  template <class F>
  std::size_t sweep(F&& f);

  ChangeSink* changes_;
  mutable std::mutex mutex_;
  SessionBindingPool bindings_;
  Table table_;
  std::unordered_map<std::string, Entry*> agents_;          // each agent's first session
  std::unordered_map<const Held*, security::Key256> keys_;  // signing keys, for the sessions that have one
};

}  // namespace lab::store

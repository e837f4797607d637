// MemorySessionStore: the session table held in this process (stages 1-3).
// Each change except a touch is reported to the ChangeSink, if one is given.
//
// Held compactly, since a server may hold a million live sessions: an id of
// 64 lower-case hex digits (stage 3's SHA-256 of the session token) is kept
// as its 32 bytes, any other id (stages 1-2) as text; the strings sessions
// share — agent, address, certificate fingerprint, client name — are kept
// once, counted by their users, and each session points at them; a signing
// key (stage 2) is allocated only for the sessions that have one.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/change.h"
#include "store/session_store.h"

namespace lab::store {

class MemorySessionStore final : public SessionStore {
 public:
  explicit MemorySessionStore(ChangeSink* changes = nullptr) : changes_(changes) {}

  bool insert(SessionRecord session) override;
  void put(SessionRecord session) override;
  std::optional<SessionRecord> find(const std::string& id) const override;
  bool touch(const std::string& id, std::int64_t now_ms) override;
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
  // Strings held once for every session that uses them; a session holds a pointer (null for the empty string).
  class SharedTexts {
   public:
    const std::string* acquire(const std::string& text);
    void release(const std::string* text);
    const std::string* find(const std::string& text) const;
    void clear() { uses_.clear(); }

   private:
    std::unordered_map<std::string, std::size_t> uses_;  // the keys' addresses are stable
  };

  struct Held {
    const std::string* agent_id = nullptr;
    const std::string* client_address = nullptr;
    const std::string* tls_fingerprint = nullptr;
    const std::string* client_name = nullptr;
    std::unique_ptr<security::Key256> signing_key;
    std::int64_t created_ms = 0;
    std::int64_t last_seen_ms = 0;
    Role role = Role::kWorker;
    bool ended = false;
  };

  using HashedId = std::array<unsigned char, 32>;
  struct HashedIdHasher {
    std::size_t operator()(const HashedId& id) const noexcept;  // the bytes are a SHA-256 output already
  };

  static std::optional<HashedId> hashed_id(const std::string& id);
  Held hold(const SessionRecord& session);
  void let_go(const Held& held);
  static void fill(SessionRecord& out, const Held& held);
  Held* locate(const std::string& id);
  const Held* locate(const std::string& id) const;
  // Calls `f(id, held)` for every session; `f` returns true to remove the session. Returns how many were removed.
  template <class F>
  std::size_t sweep(F&& f);
  // Copies of the sessions `keep` says yes to. mutex_ held.
  template <class Keep>
  std::vector<SessionRecord> copy_if(Keep keep) const;
  void report(const std::string& id, const Held* held);  // with mutex_ held; null = removed
  bool insert_locked(SessionRecord& session, bool replace);

  ChangeSink* changes_;
  mutable std::mutex mutex_;
  SharedTexts texts_;
  std::unordered_map<HashedId, Held, HashedIdHasher> hashed_;  // ids of 64 lower-case hex digits
  std::unordered_map<std::string, Held> named_;                 // every other id
};

}  // namespace lab::store

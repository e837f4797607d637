#include "store/memory_session_store.h"

#include <cstring>

#include "security/hex.h"

namespace lab::store {

// --- ids -----------------------------------------------------------------------

std::size_t MemorySessionStore::KeyHasher::operator()(const HashedId& id) const noexcept {
  std::size_t v = 0;
  std::memcpy(&v, id.data(), sizeof v);
  return v;
}

std::size_t MemorySessionStore::KeyHasher::operator()(const Key& key) const noexcept {
  if (const auto* hashed = std::get_if<HashedId>(&key)) return (*this)(*hashed);
  return (*this)(std::string_view(std::get<std::string>(key)));
}

MemorySessionStore::KeyEqual::View MemorySessionStore::KeyEqual::view(const Key& k) {
  if (const auto* hashed = std::get_if<HashedId>(&k)) return hashed;
  return std::string_view(std::get<std::string>(k));
}

bool MemorySessionStore::KeyEqual::same(const View& a, const View& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<const HashedId*>(&a)) return **x == *std::get<const HashedId*>(b);
  return std::get<std::string_view>(a) == std::get<std::string_view>(b);
}

namespace {

// The value of each lower-case hex digit, -1 for every other byte (upper case too: such an id would not come back
// as it was given). A table, not branches: ids are random, and so would be the branches' outcomes.
constexpr std::array<signed char, 256> kNibble = [] {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<signed char>(c - 'a' + 10);
  return t;
}();

}  // namespace

std::optional<MemorySessionStore::HashedId> MemorySessionStore::hashed_id(std::string_view id) {
  if (id.size() != 64) return std::nullopt;
  HashedId out;
  int bad = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = kNibble[static_cast<unsigned char>(id[2 * i])];
    const int lo = kNibble[static_cast<unsigned char>(id[2 * i + 1])];
    bad |= hi | lo;  // negative once any digit was not one
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  if (bad < 0) return std::nullopt;
  return out;
}

std::string MemorySessionStore::id_text(const Key& key) {
  if (const auto* hashed = std::get_if<HashedId>(&key)) return security::hex_encode(hashed->data(), hashed->size());
  return std::get<std::string>(key);
}

MemorySessionStore::Table::iterator MemorySessionStore::locate(std::string_view id) {
  if (auto hashed = hashed_id(id)) return table_.find(*hashed);
  return table_.find(id);
}

MemorySessionStore::Table::const_iterator MemorySessionStore::locate(std::string_view id) const {
  return const_cast<MemorySessionStore*>(this)->locate(id);
}

// --- an agent's sessions ------------------------------------------------------------

void MemorySessionStore::link_to_agent(Entry& entry) {
  Held& held = entry.second;
  auto [it, first] = agents_.try_emplace(binding_of(held).agent_id, &entry);
  if (first) return;
  held.next_of_agent = it->second;
  it->second->second.previous_of_agent = &entry;
  it->second = &entry;
}

void MemorySessionStore::unlink_from_agent(Entry& entry) {
  Held& held = entry.second;
  if (held.next_of_agent) held.next_of_agent->second.previous_of_agent = held.previous_of_agent;
  if (held.previous_of_agent) {
    held.previous_of_agent->second.next_of_agent = held.next_of_agent;
  } else if (Entry* next = held.next_of_agent) {
    agents_[binding_of(held).agent_id] = next;  // the agent's first session is now the next one
  } else {
    agents_.erase(binding_of(held).agent_id);  // its last session
  }
  held.previous_of_agent = held.next_of_agent = nullptr;
}

// --- records in and out ----------------------------------------------------------

SessionRecord MemorySessionStore::record_of(const Entry& entry) const {
  const Held& held = entry.second;
  const SessionBinding& b = binding_of(held);
  SessionRecord out;
  out.id = id_text(entry.first);
  out.agent_id = b.agent_id;
  out.client_address = b.client_address;
  out.tls_fingerprint = b.tls_fingerprint;
  out.client_name = b.client_name;
  if (auto key = keys_.find(&held); key != keys_.end()) out.signing_key = key->second;
  out.created_ms = held.created_ms;
  out.last_seen_ms = held.last_seen_ms;
  out.role = held.role;
  out.ended = held.ended;
  return out;
}

void MemorySessionStore::report(const std::string& id, const Entry* entry) {
  if (!changes_) return;
  changes_->record(Change{Collection::kSessions, id, entry ? to_json(record_of(*entry)) : Json(nullptr)});
}

void MemorySessionStore::remove(Table::iterator it) {
  unlink_from_agent(*it);  // while its binding (which names the agent) is still held
  keys_.erase(&it->second);
  bindings_.release(it->second.binding);
  table_.erase(it);
}

template <class F>
std::size_t MemorySessionStore::sweep(F&& f) {
  std::size_t removed = 0;
  for (auto it = table_.begin(); it != table_.end();) {
    if (!f(*it)) {
      ++it;
      continue;
    }
    const std::string id = id_text(it->first);
    remove(it++);
    report(id, nullptr);
    ++removed;
  }
  return removed;
}

// --- the SessionStore interface ------------------------------------------------

bool MemorySessionStore::insert_locked(SessionRecord& session, bool replace) {
  const auto found = locate(session.id);
  Entry* entry = found == table_.end() ? nullptr : &*found;
  if (entry && !replace) return false;
  const auto binding = bindings_.acquire(
      SessionBindingView(session.agent_id, session.client_address, session.tls_fingerprint, session.client_name));
  if (entry) {
    unlink_from_agent(*entry);
    bindings_.release(entry->second.binding);
    keys_.erase(&entry->second);
  } else {
    Key key;
    if (auto hashed = hashed_id(session.id)) {
      key = *hashed;
    } else {
      key = session.id;
    }
    entry = &*table_.try_emplace(std::move(key)).first;
  }
  Held& held = entry->second;
  held.binding = binding;
  held.role = session.role;
  held.ended = session.ended;
  held.created_ms = session.created_ms;
  held.last_seen_ms = session.last_seen_ms;
  if (session.signing_key) keys_.insert_or_assign(&held, *session.signing_key);
  link_to_agent(*entry);
  report(session.id, entry);
  return true;
}

bool MemorySessionStore::insert(SessionRecord session) {
  std::lock_guard lock(mutex_);
  return insert_locked(session, false);
}

void MemorySessionStore::put(SessionRecord session) {
  std::lock_guard lock(mutex_);
  insert_locked(session, true);
}

std::optional<SessionRecord> MemorySessionStore::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == table_.end()) return std::nullopt;
  return record_of(*it);
}

bool MemorySessionStore::touch(const std::string& id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == table_.end()) return false;
  it->second.last_seen_ms = now_ms;
  return true;
}

std::optional<SessionSummary> MemorySessionStore::summary(const security::SessionIdHash& id) const {
  std::lock_guard lock(mutex_);
  const auto it = table_.find(id.bytes());
  if (it == table_.end()) return std::nullopt;
  return summary_of(it->second);
}

std::optional<SessionSummary> MemorySessionStore::summary_of_id(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == table_.end()) return std::nullopt;
  return summary_of(it->second);
}

SessionSummary MemorySessionStore::summary_of(const Held& held) const {
  const auto key = keys_.find(&held);
  return SessionSummary{bindings_.binding(held.binding), held.created_ms, held.last_seen_ms, held.role, held.ended,
                        key == keys_.end() ? std::nullopt : std::optional(key->second)};
}

bool MemorySessionStore::touch_hashed(const security::SessionIdHash& id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  const auto it = table_.find(id.bytes());
  if (it == table_.end()) return false;
  it->second.last_seen_ms = now_ms;
  return true;
}

bool MemorySessionStore::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  const auto it = locate(id);
  if (it == table_.end()) return false;
  remove(it);
  report(id, nullptr);
  return true;
}

std::size_t MemorySessionStore::erase_if(const std::function<bool(const SessionRecord&)>& expired) {
  std::lock_guard lock(mutex_);
  return sweep([&](const Entry& entry) { return expired(record_of(entry)); });
}

std::size_t MemorySessionStore::set_role_of_agent(const std::string& agent_id, Role role) {
  std::lock_guard lock(mutex_);
  const auto first = agents_.find(agent_id);
  if (first == agents_.end()) return 0;
  std::size_t changed = 0;
  for (Entry* e = first->second; e != nullptr; e = e->second.next_of_agent) {
    if (e->second.role == role) continue;
    e->second.role = role;
    if (changes_) report(id_text(e->first), e);
    ++changed;
  }
  return changed;
}

std::vector<SessionRecord> MemorySessionStore::sessions_of_agent(const std::string& agent_id) const {
  std::lock_guard lock(mutex_);
  std::vector<SessionRecord> out;
  const auto first = agents_.find(agent_id);
  if (first == agents_.end()) return out;
  for (const Entry* e = first->second; e != nullptr; e = e->second.next_of_agent) out.push_back(record_of(*e));
  return out;
}

std::vector<SessionRecord> MemorySessionStore::all() const {
  std::lock_guard lock(mutex_);
  std::vector<SessionRecord> out;
  out.reserve(table_.size());
  for (const auto& entry : table_) out.push_back(record_of(entry));
  return out;
}

std::size_t MemorySessionStore::size() const {
  std::lock_guard lock(mutex_);
  return table_.size();
}

void MemorySessionStore::restore(const Json& sessions) {
  std::vector<SessionRecord> records;  // all read before anything changes: a malformed one leaves the store as it was
  for (const auto& j : sessions) records.push_back(session_from_json(j));
  std::lock_guard lock(mutex_);
  agents_.clear();
  keys_.clear();
  table_.clear();
  bindings_.clear();
  ChangeSink* const changes = changes_;
  changes_ = nullptr;  // restoring is not a change
  for (auto& s : records) insert_locked(s, true);
  changes_ = changes;
}

}  // namespace lab::store

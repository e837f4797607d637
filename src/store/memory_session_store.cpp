#include "store/memory_session_store.h"

#include <cstring>

#include "security/hex.h"

namespace lab::store {

// --- shared strings ----------------------------------------------------------

const std::string* MemorySessionStore::SharedTexts::acquire(const std::string& text) {
  if (text.empty()) return nullptr;
  auto [it, added] = uses_.try_emplace(text, 0);
  ++it->second;
  return &it->first;
}

void MemorySessionStore::SharedTexts::release(const std::string* text) {
  if (text == nullptr) return;
  auto it = uses_.find(*text);
  if (it != uses_.end() && --it->second == 0) uses_.erase(it);
}

const std::string* MemorySessionStore::SharedTexts::find(const std::string& text) const {
  if (text.empty()) return nullptr;
  auto it = uses_.find(text);
  return it == uses_.end() ? nullptr : &it->first;
}

// --- ids -----------------------------------------------------------------------

std::size_t MemorySessionStore::HashedIdHasher::operator()(const HashedId& id) const noexcept {
  std::size_t v = 0;
  std::memcpy(&v, id.data(), sizeof v);
  return v;
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

std::optional<MemorySessionStore::HashedId> MemorySessionStore::hashed_id(const std::string& id) {
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

// --- records in and out ----------------------------------------------------------

MemorySessionStore::Held MemorySessionStore::hold(const SessionRecord& s) {
  Held h;
  h.agent_id = texts_.acquire(s.agent_id);
  h.client_address = texts_.acquire(s.client_address);
  h.tls_fingerprint = texts_.acquire(s.tls_fingerprint);
  h.client_name = texts_.acquire(s.client_name);
  if (s.signing_key) h.signing_key = std::make_unique<security::Key256>(*s.signing_key);
  h.created_ms = s.created_ms;
  h.last_seen_ms = s.last_seen_ms;
  h.role = s.role;
  h.ended = s.ended;
  return h;
}

void MemorySessionStore::let_go(const Held& h) {
  texts_.release(h.agent_id);
  texts_.release(h.client_address);
  texts_.release(h.tls_fingerprint);
  texts_.release(h.client_name);
}

void MemorySessionStore::fill(SessionRecord& out, const Held& h) {
  const auto text = [](std::string& to, const std::string* from) {
    if (from) {
      to.assign(*from);
    } else {
      to.clear();
    }
  };
  text(out.agent_id, h.agent_id);
  text(out.client_address, h.client_address);
  text(out.tls_fingerprint, h.tls_fingerprint);
  text(out.client_name, h.client_name);
  if (h.signing_key) {
    out.signing_key = *h.signing_key;
  } else {
    out.signing_key.reset();
  }
  out.created_ms = h.created_ms;
  out.last_seen_ms = h.last_seen_ms;
  out.role = h.role;
  out.ended = h.ended;
}

MemorySessionStore::Held* MemorySessionStore::locate(const std::string& id) {
  if (auto hashed = hashed_id(id)) {
    auto it = hashed_.find(*hashed);
    return it == hashed_.end() ? nullptr : &it->second;
  }
  auto it = named_.find(id);
  return it == named_.end() ? nullptr : &it->second;
}

const MemorySessionStore::Held* MemorySessionStore::locate(const std::string& id) const {
  return const_cast<MemorySessionStore*>(this)->locate(id);
}

void MemorySessionStore::report(const std::string& id, const Held* held) {
  if (!changes_) return;
  if (!held) {
    changes_->record(Change{Collection::kSessions, id, Json(nullptr)});
    return;
  }
  SessionRecord s;
  s.id = id;
  fill(s, *held);
  changes_->record(Change{Collection::kSessions, id, to_json(s)});
}

template <class F>
std::size_t MemorySessionStore::sweep(F&& f) {
  std::size_t removed = 0;
  std::string id;
  for (auto it = hashed_.begin(); it != hashed_.end();) {
    id = security::hex_encode(it->first.data(), it->first.size());
    if (!f(id, it->second)) {
      ++it;
      continue;
    }
    let_go(it->second);
    it = hashed_.erase(it);
    report(id, nullptr);
    ++removed;
  }
  for (auto it = named_.begin(); it != named_.end();) {
    if (!f(it->first, it->second)) {
      ++it;
      continue;
    }
    report(it->first, nullptr);
    let_go(it->second);
    it = named_.erase(it);
    ++removed;
  }
  return removed;
}

// --- the SessionStore interface ------------------------------------------------

bool MemorySessionStore::insert_locked(SessionRecord& session, bool replace) {
  Held* existing = locate(session.id);
  if (existing && !replace) return false;
  Held held = hold(session);
  if (existing) {
    let_go(*existing);
    *existing = std::move(held);
    report(session.id, existing);
    return true;
  }
  Held* stored = nullptr;
  if (auto hashed = hashed_id(session.id)) {
    stored = &hashed_.emplace(*hashed, std::move(held)).first->second;
  } else {
    stored = &named_.emplace(session.id, std::move(held)).first->second;
  }
  report(session.id, stored);
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
  std::optional<SessionRecord> out;
  std::lock_guard lock(mutex_);
  const Held* held = locate(id);
  if (!held) return out;
  out.emplace();
  out->id = id;
  fill(*out, *held);
  return out;
}

bool MemorySessionStore::touch(const std::string& id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Held* held = locate(id);
  if (!held) return false;
  held->last_seen_ms = now_ms;
  return true;
}

bool MemorySessionStore::erase(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (auto hashed = hashed_id(id)) {
    auto it = hashed_.find(*hashed);
    if (it == hashed_.end()) return false;
    let_go(it->second);
    hashed_.erase(it);
  } else {
    auto it = named_.find(id);
    if (it == named_.end()) return false;
    let_go(it->second);
    named_.erase(it);
  }
  report(id, nullptr);
  return true;
}

std::size_t MemorySessionStore::erase_if(const std::function<bool(const SessionRecord&)>& expired) {
  std::lock_guard lock(mutex_);
  SessionRecord s;  // one record, refilled: its strings keep their buffers
  return sweep([&](const std::string& id, const Held& held) {
    s.id = id;
    fill(s, held);
    return expired(s);
  });
}

std::size_t MemorySessionStore::set_role_of_agent(const std::string& agent_id, Role role) {
  std::lock_guard lock(mutex_);
  const std::string* agent = texts_.find(agent_id);
  if (!agent) return 0;
  std::size_t changed = 0;
  sweep([&](const std::string& id, Held& held) {
    if (held.agent_id == agent && held.role != role) {
      held.role = role;
      report(id, &held);
      ++changed;
    }
    return false;
  });
  return changed;
}

std::vector<SessionRecord> MemorySessionStore::sessions_of_agent(const std::string& agent_id) const {
  std::lock_guard lock(mutex_);
  const std::string* agent = texts_.find(agent_id);
  if (!agent) return {};
  return copy_if([agent](const Held& held) { return held.agent_id == agent; });
}

std::vector<SessionRecord> MemorySessionStore::all() const {
  std::lock_guard lock(mutex_);
  return copy_if([](const Held&) { return true; });
}

template <class Keep>
std::vector<SessionRecord> MemorySessionStore::copy_if(Keep keep) const {
  std::vector<SessionRecord> out;
  for (const auto& [id, held] : hashed_) {
    if (!keep(held)) continue;
    out.emplace_back().id = security::hex_encode(id.data(), id.size());
    fill(out.back(), held);
  }
  for (const auto& [id, held] : named_) {
    if (!keep(held)) continue;
    out.emplace_back().id = id;
    fill(out.back(), held);
  }
  return out;
}

std::size_t MemorySessionStore::size() const {
  std::lock_guard lock(mutex_);
  return hashed_.size() + named_.size();
}

void MemorySessionStore::restore(const Json& sessions) {
  std::vector<SessionRecord> records;  // all read before anything changes: a malformed one leaves the store as it was
  for (const auto& j : sessions) records.push_back(session_from_json(j));
  std::lock_guard lock(mutex_);
  hashed_.clear();
  named_.clear();
  texts_.clear();
  ChangeSink* const changes = changes_;
  changes_ = nullptr;  // restoring is not a change
  for (auto& s : records) insert_locked(s, true);
  changes_ = changes;
}

}  // namespace lab::store

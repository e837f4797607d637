// session-data-in-redis: an attacker with the coordinators' own Redis credentials (a leaked config file, a
// shell on one coordinator host, a copy of the AOF) reads every value the stage keeps, looking for the victim's
// session id and the secret it just stored, then edits the victim's session record in place. Exploited when
// either secret is there in plain bytes, or when the edited record is still accepted as the victim's session.
#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "attacks/shared_store_reader.h"

namespace lab::attacks {
namespace {

// "key" or "key field", for evidence.
std::string where(const StoredValue& v) { return v.key + (v.field.empty() ? "" : " (" + v.field + ")"); }

class SessionDataInRedis final : public Attack {
 public:
  std::string_view id() const override { return "session-data-in-redis"; }
  std::string_view title() const override { return "Read or edit session data in the shared store"; }

  AttackResult run(const Target& t) const override {
    const auto store = t.control ? t.control->shared_store() : std::nullopt;
    if (!store) return failed("needs a stage whose state is in a shared store");
    auto victim = victim_with_secret_project(t);
    if (!victim) return failed(victim.error().message);
    const std::string& secret = victim->secret;
    const std::string& token = victim->session_id;

    auto redis = redis::RedisConnection::open(
        {.endpoint = store->endpoint, .credentials = store->insider, .tls = store->tls});
    if (!redis) return failed("cannot reach the store with the coordinators' credentials: " + redis.error().message);
    auto values = read_every_value(**redis, store->prefix);
    if (!values) return failed("cannot read the store: " + values.error().message);

    std::string found;
    const std::pair<std::string, std::string> needles[] = {{secret, "secret '" + secret + "'"}, {token, "session id"}};
    for (const auto& [needle, what] : needles) {
      const auto hits = values_containing(*values, needle);
      if (!hits.empty()) found += (found.empty() ? "" : ", ") + what + " in " + where(hits.front());
    }
    const std::string read = std::to_string(values->size()) + " values under " + store->prefix + "* were read";
    if (!found.empty()) return exploited(read + "; in plain text: " + found);

    // Nothing readable: edit the victim's session record (found through its agent's session set) in place.
    auto members = (*redis)->command({"SMEMBERS", store->prefix + "agent-sessions:" + victim->identity.agent_id});
    if (!members || members->elements.empty()) {
      return failed(read + ", none in plain text; the victim's session set was not found to edit");
    }
    const std::string key = store->prefix + "sess:" + members->elements.front().text;
    auto data = (*redis)->command({"HGET", key, "data"});
    if (!data || data->is_nil() || data->text.empty()) return failed(read + "; the session record " + key + " has no data");
    std::string edited = data->text;
    edited[edited.size() / 2] = static_cast<char>(edited[edited.size() / 2] ^ 0x01);
    auto written = (*redis)->command({"HSET", key, "data", edited});
    if (!written || written->is_error()) {
      return failed("cannot write the edited record: " + (written ? written->text : written.error().message));
    }
    auto after = victim->client->call("get_session_info");
    const std::string evidence = read + ", none in plain text (the victim's secret and session id absent); one "
                                 "bit flipped in the data of its session record " + key;
    if (after) return exploited(evidence + " was still accepted as the victim's session");
    return refused(after.error(), evidence + ": the victim's next request was refused, " + describe(after.error()));
  }
};

}  // namespace

std::unique_ptr<Attack> make_session_data_in_redis() { return std::make_unique<SessionDataInRedis>(); }

}  // namespace lab::attacks

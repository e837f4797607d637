// redis-without-credentials: anyone who reaches the shared store's port (TLS trusting the lab CA, no client
// certificate, no password) lists and reads the stage's keys. Exploited when Redis serves them: the session
// records, the board and the event stream are one connection away. Blocked when Redis refuses every command
// before authentication.
#include <set>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "attacks/shared_store_reader.h"

namespace lab::attacks {
namespace {

class RedisWithoutCredentials final : public Attack {
 public:
  std::string_view id() const override { return "redis-without-credentials"; }
  std::string_view title() const override { return "Connect to the shared store without credentials"; }

  AttackResult run(const Target& t) const override {
    const auto store = t.control ? t.control->shared_store() : std::nullopt;
    if (!store) return failed("needs a stage whose state is in a shared store");
    // Something to find: a logged-in agent with a project.
    auto victim = client::open_session(t.stage, t.endpoint, victim_identity(t));
    if (!victim) return failed("victim cannot log in: " + victim.error().message);
    auto project = (*victim)->call("create_project", Json{{"name", "open-store-" + t.tag}});
    if (!project) return failed("victim cannot create a project: " + project.error().message);

    auto redis = redis::RedisConnection::open({.endpoint = store->endpoint, .tls = store->tls});
    if (!redis) return failed("cannot reach the store's port: " + redis.error().message);
    auto values = read_every_value(**redis, store->prefix);
    if (!values) {
      if (values.error().code == ErrorCode::kPermissionDenied) {
        return blocked("a TLS connection without credentials reached " + store->endpoint.to_string() +
                       ", but Redis refused to list its keys: " + values.error().message);
      }
      return failed("no verdict, the store failed: " + values.error().message);
    }
    std::set<std::string> keys;
    for (const auto& v : *values) keys.insert(v.key);
    std::string sample;
    for (const auto& k : keys) {
      if (k.find("sess:") != std::string::npos) {
        sample = "; among them the session record " + k;
        break;
      }
    }
    if (keys.empty()) return failed("the store answered without credentials but holds no key under " + store->prefix);
    return exploited("without a password, " + store->endpoint.to_string() + " listed and served " +
                     std::to_string(keys.size()) + " keys (" + std::to_string(values->size()) + " values)" + sample);
  }
};

}  // namespace

std::unique_ptr<Attack> make_redis_without_credentials() { return std::make_unique<RedisWithoutCredentials>(); }

}  // namespace lab::attacks

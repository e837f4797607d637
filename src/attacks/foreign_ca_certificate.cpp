// foreign-ca-certificate: the attacker has phished the victim's password, but
// not the key of its certificate, so it makes itself a certificate for the
// victim's name from a CA of its own and logs in with both. Exploited when it
// then acted as the victim.
#include <optional>

#include "attacks/attack_helpers.h"
#include "attacks/attack_list.h"
#include "core/temporary_directory.h"
#include "security/lab_ca.h"

namespace lab::attacks {
namespace {

class ForeignCaCertificate final : public Attack {
 public:
  std::string_view id() const override { return "foreign-ca-certificate"; }
  std::string_view title() const override { return "Log in with a phished password and a certificate of one's own CA"; }

  AttackResult run(const Target& t) const override {
    client::Identity forged = victim_identity(t);  // the password is the victim's own: phished
    auto endpoint = from_other_host(t);
    const bool needs_certificate = endpoint.tls.has_value() || !t.certificate_dir.empty();
    std::string how = client::profile_for(t.stage).checks_passwords()
                          ? "with only the phished password (the stage asked for no certificate)"
                          : "with no credential at all (the stage asked for neither password nor certificate)";
    // The attacker's own CA, in a directory removed when the attack ends.
    std::optional<TemporaryDirectory> scratch;
    if (needs_certificate) {
      auto dir = TemporaryDirectory::create("lab_foreign_ca_");
      if (!dir) return failed("cannot make a directory for the attacker's CA: " + dir.error().message);
      scratch = std::move(*dir);
      auto ca = security::LabCa::create(scratch->path());
      if (!ca) return failed("cannot make the attacker's CA: " + ca.error().message);
      auto issued = ca->issue_agent(forged.agent_id, scratch->path());
      if (!issued) return failed("cannot issue the forged certificate: " + issued.error().message);
      forged.certificate_file = issued->certificate.string();
      forged.private_key_file = issued->private_key.string();
      if (endpoint.tls) {
        endpoint.tls->certificate_file = forged.certificate_file;
        endpoint.tls->private_key_file = forged.private_key_file;
      }
      how = "with the phished password and a certificate for " + forged.agent_id + " from the attacker's own CA";
    }

    auto conn = client::open_connection(endpoint);
    Result<Json> login = conn ? client::login(**conn, t.stage, forged) : Result<Json>(conn.error());
    if (login) {
      auto owner = owner_of_new_project(**conn, "phished-" + t.tag);
      if (owner && *owner == forged.agent_id) {
        return exploited("logged in as " + forged.agent_id + " " + how + ", and created a project it owns");
      }
      return blocked("the login was answered, but the session did not act as " + forged.agent_id);
    }
    if (login.error().code != ErrorCode::kConnectionFailed || !endpoint.tls) {
      return refused(login.error(), "the login " + how + " was refused: " + describe(login.error()));
    }
    // The connection failed: a refusal of the certificate only if the server takes a lab certificate meanwhile.
    auto insider = client::open_connection(from_other_host(t));
    auto alive = insider ? (*insider)->call("get_session_info") : Result<Json>(insider.error());
    if (!alive && alive.error().code == ErrorCode::kConnectionFailed) {
      return failed("no verdict: the server takes no connection at all (" + alive.error().message + ")");
    }
    return blocked("the server ended the TLS connection that presented the foreign certificate (" +
                   login.error().message + ") while it served one with a lab certificate");
  }
};

}  // namespace

std::unique_ptr<Attack> make_foreign_ca_certificate() { return std::make_unique<ForeignCaCertificate>(); }

}  // namespace lab::attacks

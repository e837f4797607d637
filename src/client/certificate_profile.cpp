#include "client/certificate_profile.h"

#include <filesystem>
#include <memory>

#include "core/clock.h"
#include "core/file_io.h"
#include "security/lab_ca.h"
#include "security/lab_ca_directory.h"
#include "security/signed_request.h"

namespace lab::client {
namespace {

namespace fs = std::filesystem;

class CertificateProfile final : public ClientProfile {
 public:
  int stage() const override { return 3; }
  bool checks_passwords() const override { return true; }
  bool uses_certificates() const override { return true; }

  net::ClientOptions connection_for(const net::ClientOptions& endpoint, Identity& identity) const override {
    net::ClientOptions options = endpoint;
    if (!options.tls) return options;  // the connection will be refused: mutual TLS is the first control
    const fs::path dir = fs::path(options.tls->ca_file).parent_path();
    const auto files = security::agent_files(dir, identity.agent_id);
    if (identity.certificate_file.empty()) identity.certificate_file = files.certificate.string();
    if (identity.private_key_file.empty()) identity.private_key_file = files.private_key.string();
    options.tls->certificate_file = identity.certificate_file;
    options.tls->private_key_file = identity.private_key_file;
    return options;
  }

  Status before_login(net::ProtocolClient& client, const Identity& identity) const override {
    const auto certificate = read_file(identity.certificate_file);
    const auto key_pem = read_file(identity.private_key_file);
    if (!certificate || !key_pem) {
      return Error{ErrorCode::kInvalidField, "no certificate and key for " + identity.agent_id + " (" +
                                                 identity.certificate_file + "): run ./lab ca init"};
    }
    auto fingerprint = security::certificate_pem_fingerprint(*certificate);
    if (!fingerprint) return fingerprint.error();
    auto key = security::SigningKey::from_pem(*key_pem);
    if (!key) return key.error();
    auto shared = std::make_shared<security::SigningKey>(std::move(*key));
    client.hook = [shared, key_id = *fingerprint, name = identity.client_name, clock = identity.clock](Json& request) {
      // A signing failure leaves the request unsigned; the server then refuses it, which is the honest outcome.
      (void)security::sign_request_ecdsa(request, *shared, key_id, name, unix_seconds(clock->now()));
    };
    return ok_status();
  }

  Json login_payload(const Identity& identity) const override {
    return Json{{"agent_id", identity.agent_id},
                {"password", identity.password},
                {"certificate", read_file(identity.certificate_file).value_or("")}};
  }

  Status after_login(net::ProtocolClient&, const Json&, const Identity&) const override {
    return ok_status();  // the hook installed before login signs everything that follows
  }

  Identity lab_identity(std::string_view, std::string_view lab_user, Role role) const override {
    return Identity{std::string(lab_user), role, lab_password(lab_user)};
  }

  std::string_view warning() const override { return "SECURE: mutual TLS, signed requests"; }
};

}  // namespace

const ClientProfile& certificate_profile() {
  static const CertificateProfile profile;
  return profile;
}

}  // namespace lab::client

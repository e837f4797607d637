// Mutual TLS on the line server: a client certificate is required when the
// server names a client CA, and its fingerprint reaches the handler (and from
// there the coordinator's request origin, which binding controls compare).
#include <gtest/gtest.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "net/line_client.h"
#include "net/line_server.h"
#include "security/hex.h"
#include "test_certificates.h"

namespace lab::net {
namespace {

// Answers every line with the fingerprint of the client's certificate.
class FingerprintEcho final : public LineHandler {
 public:
  LineReply on_line(std::string_view, ConnectionContext& connection) override {
    return LineReply::now("\"" + connection.peer().tls_fingerprint + "\"\n");
  }
  std::string on_oversized_line(ConnectionContext&) override { return "\"too long\"\n"; }
  std::string on_handler_failure(ConnectionContext&) override { return "\"failed\"\n"; }
};

std::string sha256_of_certificate(const std::filesystem::path& pem) {
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(pem.c_str(), "r"), &std::fclose);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr), &X509_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(cert.get(), EVP_sha256(), digest, &length);
  return security::hex_encode(digest, length);
}

class MutualTls : public ::testing::Test {
 protected:
  void SetUp() override {
    server_cert_ = testing::make_test_certificate(dir_ / "server");
    client_cert_ = testing::make_test_certificate(dir_ / "client");
    LineServerOptions options;
    options.threads = 1;
    options.tls = TlsServerFiles{server_cert_.certificate.string(), server_cert_.private_key.string(),
                                 client_cert_.certificate.string()};
    server_ = std::make_unique<LineServer>(options, handler_);
    ASSERT_TRUE(server_->start().ok());
  }
  void TearDown() override {
    server_->stop();
    std::filesystem::remove_all(dir_);
  }
  ClientOptions client(bool with_certificate) const {
    ClientOptions o{.host = "127.0.0.1", .port = server_->port(), .timeout = std::chrono::seconds(5)};
    o.tls = TlsClientFiles{server_cert_.certificate.string(), "localhost"};
    if (with_certificate) {
      o.tls->certificate_file = client_cert_.certificate.string();
      o.tls->private_key_file = client_cert_.private_key.string();
    }
    return o;
  }
  std::filesystem::path dir_ = std::filesystem::temp_directory_path() / ("lab-mtls-" + std::to_string(::getpid()));
  testing::TestCertificate server_cert_, client_cert_;
  FingerprintEcho handler_;
  std::unique_ptr<LineServer> server_;
};

TEST_F(MutualTls, TheHandlerSeesTheFingerprintOfTheClientsCertificate) {
  LineClient c;
  ASSERT_TRUE(c.connect(client(true)).ok());
  ASSERT_TRUE(c.send_line("hello").ok());
  auto answer = c.read_line();
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(*answer, "\"" + sha256_of_certificate(client_cert_.certificate) + "\"");
}

TEST_F(MutualTls, AClientWithoutACertificateGetsNoAnswer) {
  LineClient c;
  const auto connected = c.connect(client(false));
  if (connected.ok()) {
    // TLS 1.3 finishes the client's side of the handshake before the server
    // has judged the client: the refusal arrives as the connection closing.
    (void)c.send_line("hello");
    EXPECT_FALSE(c.read_line().ok());
  }
}

}  // namespace
}  // namespace lab::net

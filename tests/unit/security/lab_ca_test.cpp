// The lab CA as an operator and a coordinator see it: a CA is created once and
// loaded again; an agent's certificate verifies against its CA and yields the
// agent's id and fingerprint; certificates from another CA, for servers,
// expired, or without an agent name are refused; bad names never reach a
// certificate or a file name; private keys are readable by their owner only.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "security/hex.h"
#include "security/lab_ca.h"

namespace lab::security {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

class LabCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / ("lab-ca-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  LabCa make_ca(const std::string& name) {
    auto ca = LabCa::create(dir_ / name);
    EXPECT_TRUE(ca.ok()) << ca.error().message;
    return std::move(ca).value();
  }
  static std::string text(const fs::path& path) { return read_file(path).value_or(""); }
  static X509Ptr parse(const std::string& pem) {
    OpenSslPtr<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  }
  static bool owner_only(const fs::path& path) {
    return fs::status(path).permissions() == (fs::perms::owner_read | fs::perms::owner_write);
  }
  static std::string refusal(const Result<AgentIdentity>& r) {
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message;
  }

  fs::path dir_;
};

TEST_F(LabCaTest, ACreatedCaIsWrittenOnceAndLoadsAgain) {
  const LabCa ca = make_ca("ca");
  EXPECT_TRUE(owner_only(dir_ / "ca" / "ca.key"));
  EXPECT_EQ(text(ca.certificate_path()), ca.certificate_pem());
  const X509Ptr cert = parse(ca.certificate_pem());
  ASSERT_NE(cert, nullptr);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "Session Security Lab CA");
  EXPECT_EQ(X509_check_ca(cert.get()), 1);
  EXPECT_EQ(X509_get_extension_flags(cert.get()) & EXFLAG_CRITICAL, 0u) << "no unknown critical extension";
  EXPECT_EQ(X509_get_key_usage(cert.get()), static_cast<uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(cert.get()), nullptr), 0);

  auto loaded = LabCa::load(dir_ / "ca");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->certificate_pem(), ca.certificate_pem());
  // A loaded CA issues certificates the original's certificate accepts.
  ASSERT_TRUE(loaded->issue_agent("worker-1", dir_ / "agents").ok());
  EXPECT_TRUE(ca.verify_agent(text(dir_ / "agents" / "worker-1.crt")).ok());

  auto again = LabCa::create(dir_ / "ca");
  ASSERT_FALSE(again.ok()) << "a second create would orphan every issued certificate";
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
}

TEST_F(LabCaTest, LoadRefusesAMissingCaOrAKeyThatIsNotTheCertificates) {
  EXPECT_FALSE(LabCa::load(dir_ / "nothing-here").ok());
  make_ca("a");
  make_ca("b");
  fs::copy_file(dir_ / "b" / "ca.key", dir_ / "a" / "ca.key", fs::copy_options::overwrite_existing);
  auto mixed = LabCa::load(dir_ / "a");
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.error().message.find("does not match"), std::string::npos);
}

TEST_F(LabCaTest, AnIssuedAgentCertificateVerifiesAndNamesItsAgent) {
  const LabCa ca = make_ca("ca");
  auto issued = ca.issue_agent("worker-1", dir_ / "agents");
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  EXPECT_EQ(issued->certificate, dir_ / "agents" / "worker-1.crt");
  EXPECT_EQ(issued->private_key, dir_ / "agents" / "worker-1.key");
  EXPECT_TRUE(owner_only(issued->private_key));

  const std::string pem = text(issued->certificate);
  auto identity = ca.verify_agent(pem);
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->agent_id, "worker-1");

  const X509Ptr cert = parse(pem);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  ASSERT_EQ(X509_digest(cert.get(), EVP_sha256(), md, &len), 1);
  EXPECT_EQ(identity->fingerprint, hex_encode(md, len));
  EXPECT_EQ(identity->fingerprint.size(), 64u);
  EXPECT_EQ(identity->fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(issued->fingerprint, identity->fingerprint);
  EXPECT_EQ(certificate_fingerprint(cert.get()), identity->fingerprint);

  auto from_files = verify_agent_certificate_file(ca.certificate_path(), issued->certificate);
  ASSERT_TRUE(from_files.ok()) << from_files.error().message;
  EXPECT_EQ(from_files->agent_id, "worker-1");
}

TEST_F(LabCaTest, AVerifyKeyFromTheCertificateChecksThatAgentsSignatures) {
  const LabCa ca = make_ca("ca");
  ASSERT_TRUE(ca.issue_agent("worker-1", dir_).ok());
  ASSERT_TRUE(ca.issue_agent("worker-2", dir_).ok());
  auto worker1 = SigningKey::from_pem(text(dir_ / "worker-1.key"));
  auto worker2 = SigningKey::from_pem(text(dir_ / "worker-2.key"));
  auto pub = VerifyKey::from_certificate_pem(text(dir_ / "worker-1.crt"));
  ASSERT_TRUE(worker1.ok() && worker2.ok() && pub.ok());
  EXPECT_TRUE(pub->verify("claim task 7", *worker1->sign("claim task 7")));
  EXPECT_FALSE(pub->verify("claim task 7", *worker2->sign("claim task 7")));
}

TEST_F(LabCaTest, ACertificateFromAnotherCaIsRefused) {
  const LabCa ours = make_ca("ours");
  const LabCa theirs = make_ca("theirs");
  ASSERT_TRUE(theirs.issue_agent("worker-1", dir_ / "theirs").ok());
  const std::string message = refusal(ours.verify_agent(text(dir_ / "theirs" / "worker-1.crt")));
  EXPECT_NE(message.find("not issued by the lab CA"), std::string::npos) << message;
}

TEST_F(LabCaTest, AServerCertificateIsNotAClientCertificate) {
  const LabCa ca = make_ca("ca");
  auto server = ca.issue_server("localhost", dir_);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const std::string pem = text(server->certificate);
  const X509Ptr cert = parse(pem);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_TRUE(owner_only(server->private_key));
  const std::string message = refusal(ca.verify_agent(pem));
  EXPECT_NE(message.find("clientAuth"), std::string::npos) << message;
}

TEST_F(LabCaTest, TheCaCertificateIsNotAnAgentCertificate) {
  const LabCa ca = make_ca("ca");
  EXPECT_FALSE(ca.verify_agent(ca.certificate_pem()).ok());
}

TEST_F(LabCaTest, ACertificateOutsideItsValidityIsRefused) {
  const LabCa ca = make_ca("ca");
  ASSERT_TRUE(ca.issue_agent("worker-1", dir_).ok());
  const std::string pem = text(dir_ / "worker-1.crt");
  const auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(ca.verify_agent(pem, now + hours(24 * 29)).ok());
  const std::string expired = refusal(ca.verify_agent(pem, now + hours(24 * 31)));
  EXPECT_NE(expired.find("expired"), std::string::npos) << expired;
  const std::string early = refusal(ca.verify_agent(pem, now - hours(1)));
  EXPECT_NE(early.find("not valid yet"), std::string::npos) << early;
}

// A clientAuth certificate the CA signed by hand, without the agent's SAN URI.
TEST_F(LabCaTest, AClientCertificateWithoutAnAgentNameIsRefused) {
  const LabCa ca = make_ca("ca");
  auto ca_key = SigningKey::from_pem(text(dir_ / "ca" / "ca.key"));
  auto leaf_key = SigningKey::generate();
  ASSERT_TRUE(ca_key.ok() && leaf_key.ok());
  const X509Ptr ca_cert = parse(ca.certificate_pem());
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 42);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), leaf_key->native_handle());
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("worker-1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca_cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_key_usage, "critical,digitalSignature"},
                            std::pair{NID_ext_key_usage, "clientAuth"},
                            std::pair{NID_authority_key_identifier, "keyid:always"}}) {
    OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free> ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
    ASSERT_NE(ext, nullptr);
    ASSERT_EQ(X509_add_ext(cert.get(), ext.get(), -1), 1);
  }
  ASSERT_GT(X509_sign(cert.get(), ca_key->native_handle(), EVP_sha256()), 0);
  const std::string message = refusal(verify_agent_certificate(ca.certificate_pem(), cert.get()));
  EXPECT_NE(message.find("urn:lab:agent"), std::string::npos) << message;
}

TEST_F(LabCaTest, ABadAgentIdNeverBecomesACertificateOrAFile) {
  const LabCa ca = make_ca("ca");
  const fs::path out = dir_ / "out";
  const std::vector<std::string> bad_ids{"../x", "",    std::string(65, 'a'), "a b", "a/b", "ca", ".hidden", "-rf",
                                         "a\nb", "x,URI:urn:lab:agent:admin", std::string("a\0b", 3), "wörker"};
  for (const std::string& bad : bad_ids) {
    auto issued = ca.issue_agent(bad, out);
    ASSERT_FALSE(issued.ok()) << bad;
    EXPECT_EQ(issued.error().code, ErrorCode::kInvalidField) << bad;
  }
  EXPECT_FALSE(fs::exists(out)) << "nothing is written for a refused name";
  EXPECT_FALSE(fs::exists(dir_ / "x.key"));
  for (const std::string& good : {std::string(64, 'a'), std::string("Agent_7.v2-b")}) {
    EXPECT_TRUE(check_agent_id(good).ok()) << good;
  }
  for (const char* bad : {"", "local host", "a..b", "-x.lab", "x,IP:10.0.0.1", "../x", "ca"}) {
    EXPECT_FALSE(ca.issue_server(bad, out).ok()) << bad;
  }
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace lab::security

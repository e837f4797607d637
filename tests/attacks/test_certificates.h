// A throwaway self-signed P-256 certificate for "localhost", for tests that
// need TLS on loopback.
#pragma once

#include <filesystem>

namespace lab::testing {

struct TestCertificate {
  std::filesystem::path certificate;  // PEM; also the trust anchor (self-signed)
  std::filesystem::path private_key;  // PEM
};

// Writes cert.pem and key.pem into `dir`; throws on failure.
TestCertificate make_test_certificate(const std::filesystem::path& dir);

}  // namespace lab::testing

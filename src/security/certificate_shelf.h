// CertificateShelf: where the agent certificates one coordinator admitted are left for the others. Stage 4's
// instances share one (in Redis): an agent logs in on one instance and signs its next request on another, which
// must find the certificate's key without a login of its own. A certificate is public; what makes one trusted is
// that every instance verifies it against the lab CA again before it uses its key, so the shelf needs no secrecy
// and an edit of it gains nothing. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lab::security {

class CertificateShelf {
 public:
  virtual ~CertificateShelf() = default;
  virtual void put(std::string_view fingerprint, std::string_view certificate_pem) = 0;
  virtual std::optional<std::string> get(std::string_view fingerprint) const = 0;
};

}  // namespace lab::security

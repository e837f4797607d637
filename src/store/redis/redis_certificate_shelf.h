// RedisCertificateShelf: stage 4's shared shelf of admitted agent certificates, `<prefix>cert:<fingerprint>` →
// the PEM. Public data, stored as it is; every instance verifies a certificate against the lab CA before using it
// (security/certificate_shelf.h), so an edit here gains nothing.
#pragma once

#include "security/certificate_shelf.h"
#include "store/redis/redis_store_options.h"

namespace lab::store {

class RedisCertificateShelf final : public security::CertificateShelf {
 public:
  explicit RedisCertificateShelf(RedisStoreOptions options) : options_(std::move(options)) {}
  void put(std::string_view fingerprint, std::string_view certificate_pem) override;
  std::optional<std::string> get(std::string_view fingerprint) const override;

 private:
  RedisStoreOptions options_;
};

}  // namespace lab::store

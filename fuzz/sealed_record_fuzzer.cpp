// Sealed records (src/security/sealed_record.h) against forged bytes: with
// fixed keys, whatever the input, open_record and SealingKeyring::open refuse
// it with the one vague error and never crash. Half the inputs get the format
// byte and a held key id put in front, so the fuzzer spends its time on the
// AES-256-GCM path instead of the header check.
//
// Also, from the same input: a record really sealed (fuzzed plaintext and
// binding) opens to its plaintext, and no longer opens once one fuzz-chosen
// bit is flipped, it is cut short, or it is opened under another binding.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "security/key256.h"
#include "security/sealed_record.h"

namespace {

using lab::security::RecordBinding;
using lab::security::SealingKey;
using lab::security::SealingKeyring;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "sealed_record_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

void require_refused(const lab::Result<std::string>& opened, const char* what) {
  require(!opened.ok(), what);
  require(opened.error().code == lab::ErrorCode::kInvalidField && opened.error().message == "sealed record does not open",
          "a refusal says more than \"sealed record does not open\"");
}

SealingKey fixed_key(std::uint32_t id, std::string_view hex) {
  auto key = lab::security::Key256::from_hex(hex);
  require(key.ok(), "the fixed key is not 64 hex digits");
  return SealingKey{id, std::move(key).value()};
}

const SealingKey& current_key() {
  static const SealingKey key = fixed_key(7, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  return key;
}

const SealingKeyring& keyring() {
  static const SealingKeyring ring = [] {
    auto made = SealingKeyring::make(current_key(), {fixed_key(3, "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100")});
    require(made.ok(), "the fixed keyring cannot be made");
    return std::move(made).value();
  }();
  return ring;
}

std::string header(std::uint32_t key_id) {
  std::string h(1, static_cast<char>(lab::security::kSealedRecordFormat));
  for (int shift = 24; shift >= 0; shift -= 8) h.push_back(static_cast<char>((key_id >> shift) & 0xff));
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const int prefix = in.ConsumeIntegralInRange<int>(0, 3);  // 0, 1: as given; 2: key 7's header; 3: key 3's
  const std::string kind = in.ConsumeRandomLengthString(16);
  const std::string id = in.ConsumeRandomLengthString(64);
  const std::uint64_t version = in.ConsumeIntegral<std::uint64_t>();
  const RecordBinding binding{kind, id, version};
  const std::size_t flip = in.ConsumeIntegral<std::uint16_t>();
  std::string forged = in.ConsumeRemainingBytesAsString();
  if (prefix == 2) forged = header(7) + forged;
  if (prefix == 3) forged = header(3) + forged;

  // Forged bytes never open, under either key, through either door.
  require_refused(lab::security::open_record(current_key(), forged, binding), "open_record opened forged bytes");
  require_refused(keyring().open(forged, binding), "the keyring opened forged bytes");

  // A real record: opens with its binding, and only unchanged.
  const std::string& plaintext = forged;
  const std::string sealed = keyring().seal(plaintext, binding);
  require(sealed.size() == plaintext.size() + lab::security::kSealedRecordOverhead, "a sealed record has the wrong size");
  auto opened = keyring().open(sealed, binding);
  require(opened.ok() && *opened == plaintext, "a sealed record does not open to its plaintext");
  auto single = lab::security::open_record(current_key(), sealed, binding);
  require(single.ok() && *single == plaintext, "open_record does not open the current key's record");

  std::string flipped = sealed;
  const std::size_t bit = flip % (flipped.size() * 8);
  flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1u << (bit % 8)));
  require_refused(keyring().open(flipped, binding), "a record with a flipped bit opened");
  require_refused(keyring().open(std::string_view(sealed).substr(0, sealed.size() - 1 - flip % sealed.size()), binding),
                  "a shortened record opened");
  require_refused(keyring().open(sealed, RecordBinding{kind, id, version + 1}), "a record opened at another version");
  if (kind != id) {
    require_refused(keyring().open(sealed, RecordBinding{id, kind, version}), "a record opened with kind and id swapped");
  }
  return 0;
}

// PROXY protocol v2 (HAProxy's binary header): how a TCP balancer that passes
// TLS through untouched tells the server who the client really is. Stage 4
// puts HAProxy (`send-proxy-v2`) in front of its coordinators; every
// connection from it starts with this header, before the first TLS byte, and
// the address-binding controls need the client's address it carries.
//
// The header: a 12-byte signature, version and command (LOCAL: a health check
// of the balancer's own, the socket's addresses stand; PROXY: a relayed
// client), address family and transport, a 16-bit length of what follows
// (the addresses, then TLVs, which are skipped). Only TCP over IPv4 or IPv6 is
// accepted for PROXY; the text format (v1) is refused.
//
// The parser is pure and incremental: it is fed bytes as reads deliver them
// and says need-more, done (with how many of the last bytes were the
// header's) or error. It refuses as early as a byte shows the header is bad,
// and it never holds more than the fixed part and the addresses.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lab::net {

// The fixed part, and the longest header accepted: the fixed part plus 536 bytes of addresses and TLVs. A longer
// declared length is refused before any of it is read.
inline constexpr std::size_t kProxyHeaderFixedBytes = 16;
inline constexpr std::size_t kProxyHeaderMaxBytes = kProxyHeaderFixedBytes + 536;

enum class ProxyCommand { kLocal, kProxy };

struct ProxyHeader {
  ProxyCommand command = ProxyCommand::kLocal;
  // PROXY: the client's address as text ("203.0.113.7", "2001:db8::7") and port. LOCAL: empty and 0 (the
  // connection's own endpoints stand).
  std::string source_address;
  std::uint16_t source_port = 0;
};

enum class ProxyHeaderError {
  kNotProxyV2,          // the signature does not match
  kVersion1Text,        // "PROXY TCP4 …": the text format, not accepted
  kUnsupportedVersion,  // the version nibble is not 2
  kUnsupportedCommand,  // neither LOCAL nor PROXY
  kUnsupportedFamily,   // PROXY over anything but TCP on IPv4/IPv6, or an unassigned family/transport value
  kAddressesTooShort,   // the length cannot hold the family's addresses
  kTooLong,             // the length would make the header longer than kProxyHeaderMaxBytes
  kTruncated,           // the stream ended inside the header
};

// A short sentence for logs, e.g. "not a PROXY v2 header".
std::string_view describe(ProxyHeaderError error);

struct ProxyParse {
  enum class Status { kNeedMore, kDone, kError };
  Status status = Status::kNeedMore;
  ProxyHeader header;        // kDone
  std::size_t consumed = 0;  // kDone: bytes of the last feed that were the header's; the rest follow it
  ProxyHeaderError error = ProxyHeaderError::kNotProxyV2;  // kError
};

class ProxyHeaderParser {
 public:
  // The next bytes of the stream. Once done or refused the answer stays the same; after done, every further byte
  // follows the header (consumed is then 0).
  ProxyParse feed(std::string_view bytes);

  // The stream ended: kTruncated when it ended inside the header, otherwise the answer so far.
  ProxyParse end_of_stream() const;

  // How many more bytes the header needs at least (0 once done or refused). A reader that asks the socket for no
  // more than this never takes a byte that follows the header.
  std::size_t wanted() const;

 private:
  void take_fixed_byte(std::uint8_t byte);
  ProxyParse finish(std::size_t consumed);
  ProxyParse refuse(ProxyHeaderError error);

  static constexpr std::size_t kMaxAddressBytes = 36;  // IPv6: two addresses and two ports

  ProxyParse state_;
  std::size_t seen_ = 0;   // bytes of the header taken so far
  std::size_t total_ = 0;  // the whole header, known once the length is read
  std::size_t address_bytes_ = 0;
  bool text_prefix_ = false;  // the bytes so far are the start of "PROXY " (v1)
  bool ipv6_ = false;
  std::array<std::uint8_t, kProxyHeaderFixedBytes> fixed_{};
  std::array<std::uint8_t, kMaxAddressBytes> addresses_{};
};

// The whole input at once: a header that is not complete is kTruncated.
ProxyParse parse_proxy_header(std::string_view bytes);

}  // namespace lab::net

#include "net/proxy_protocol.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

namespace lab::net {
namespace {

constexpr std::array<std::uint8_t, 12> kSignature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                     0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::string_view kVersion1Prefix = "PROXY ";

// Byte 12: version (high nibble) and command (low nibble).
constexpr std::uint8_t kVersion2 = 0x2;
constexpr std::uint8_t kCommandLocal = 0x0;
constexpr std::uint8_t kCommandProxy = 0x1;
// Byte 13: family (high nibble) and transport (low nibble).
constexpr std::uint8_t kTcpOverIpv4 = 0x11;
constexpr std::uint8_t kTcpOverIpv6 = 0x21;
constexpr std::uint8_t kLastFamily = 0x3;     // AF_UNIX
constexpr std::uint8_t kLastTransport = 0x2;  // DGRAM
constexpr std::size_t kIpv4AddressBytes = 12;  // source, destination, source port, destination port
constexpr std::size_t kIpv6AddressBytes = 36;

std::string address_text(int family, const std::uint8_t* bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(family, bytes, text, sizeof text) == nullptr) return {};
  return text;
}

}  // namespace

std::string_view describe(ProxyHeaderError error) {
  switch (error) {
    case ProxyHeaderError::kNotProxyV2: return "not a PROXY v2 header";
    case ProxyHeaderError::kVersion1Text: return "a PROXY v1 (text) header: only v2 is accepted";
    case ProxyHeaderError::kUnsupportedVersion: return "unsupported PROXY protocol version";
    case ProxyHeaderError::kUnsupportedCommand: return "unsupported PROXY command";
    case ProxyHeaderError::kUnsupportedFamily: return "unsupported family (only TCP over IPv4 or IPv6)";
    case ProxyHeaderError::kAddressesTooShort: return "address block shorter than its family needs";
    case ProxyHeaderError::kTooLong: return "PROXY header longer than 552 bytes";
    case ProxyHeaderError::kTruncated: return "truncated PROXY header";
  }
  return "bad PROXY header";
}

ProxyParse ProxyHeaderParser::refuse(ProxyHeaderError error) {
  state_.status = ProxyParse::Status::kError;
  state_.error = error;
  return state_;
}

// Checks byte `seen_` of the fixed part as soon as it arrives, so a bad header is refused without waiting for more.
void ProxyHeaderParser::take_fixed_byte(std::uint8_t byte) {
  const std::size_t at = seen_;
  fixed_[at] = byte;
  if (at < kSignature.size()) {
    if (at == 0) text_prefix_ = byte == static_cast<std::uint8_t>(kVersion1Prefix[0]);
    if (text_prefix_) {
      if (byte != static_cast<std::uint8_t>(kVersion1Prefix[at])) {
        refuse(ProxyHeaderError::kNotProxyV2);
      } else if (at + 1 == kVersion1Prefix.size()) {
        refuse(ProxyHeaderError::kVersion1Text);
      }
    } else if (byte != kSignature[at]) {
      refuse(ProxyHeaderError::kNotProxyV2);
    }
    return;
  }
  if (at == 12) {
    const std::uint8_t command = byte & 0x0F;
    if ((byte >> 4) != kVersion2) {
      refuse(ProxyHeaderError::kUnsupportedVersion);
    } else if (command != kCommandLocal && command != kCommandProxy) {
      refuse(ProxyHeaderError::kUnsupportedCommand);
    }
    return;
  }
  if (at == 13) {
    if ((fixed_[12] & 0x0F) == kCommandProxy) {
      // PROXY names a relayed client: only TCP over IPv4 or IPv6 is one the lab can bind a session to.
      if (byte == kTcpOverIpv4) {
        address_bytes_ = kIpv4AddressBytes;
      } else if (byte == kTcpOverIpv6) {
        address_bytes_ = kIpv6AddressBytes;
        ipv6_ = true;
      } else {
        refuse(ProxyHeaderError::kUnsupportedFamily);
      }
    } else if ((byte >> 4) > kLastFamily || (byte & 0x0F) > kLastTransport) {
      // LOCAL ignores the family (UNSPEC is what balancers send), but an unassigned value is still invalid.
      refuse(ProxyHeaderError::kUnsupportedFamily);
    }
    return;
  }
  if (at == 15) {
    const std::size_t length = (std::size_t{fixed_[14]} << 8) | byte;
    if (kProxyHeaderFixedBytes + length > kProxyHeaderMaxBytes) {
      refuse(ProxyHeaderError::kTooLong);
    } else if (length < address_bytes_) {
      refuse(ProxyHeaderError::kAddressesTooShort);
    } else {
      total_ = kProxyHeaderFixedBytes + length;
    }
  }
}

ProxyParse ProxyHeaderParser::feed(std::string_view bytes) {
  if (state_.status != ProxyParse::Status::kNeedMore) {
    ProxyParse again = state_;
    again.consumed = 0;
    return again;
  }
  std::size_t used = 0;
  while (used < bytes.size()) {
    const auto byte = static_cast<std::uint8_t>(bytes[used]);
    if (seen_ < kProxyHeaderFixedBytes) {
      take_fixed_byte(byte);
      ++used;
      ++seen_;
      if (state_.status == ProxyParse::Status::kError) return state_;
    } else if (seen_ < kProxyHeaderFixedBytes + address_bytes_) {
      addresses_[seen_ - kProxyHeaderFixedBytes] = byte;
      ++used;
      ++seen_;
    } else {
      // TLVs (and any addresses LOCAL carries): skipped without being kept.
      const std::size_t skip = std::min(total_ - seen_, bytes.size() - used);
      used += skip;
      seen_ += skip;
    }
    if (seen_ >= kProxyHeaderFixedBytes && seen_ == total_) return finish(used);
  }
  return state_;
}

ProxyParse ProxyHeaderParser::finish(std::size_t consumed) {
  state_.status = ProxyParse::Status::kDone;
  state_.consumed = consumed;
  if ((fixed_[12] & 0x0F) == kCommandProxy) {
    state_.header.command = ProxyCommand::kProxy;
    if (ipv6_) {
      state_.header.source_address = address_text(AF_INET6, addresses_.data());
      state_.header.source_port = static_cast<std::uint16_t>((addresses_[32] << 8) | addresses_[33]);
    } else {
      state_.header.source_address = address_text(AF_INET, addresses_.data());
      state_.header.source_port = static_cast<std::uint16_t>((addresses_[8] << 8) | addresses_[9]);
    }
  }
  return state_;
}

ProxyParse ProxyHeaderParser::end_of_stream() const {
  if (state_.status != ProxyParse::Status::kNeedMore) return state_;
  ProxyParse truncated = state_;
  truncated.status = ProxyParse::Status::kError;
  truncated.error = ProxyHeaderError::kTruncated;
  return truncated;
}

std::size_t ProxyHeaderParser::wanted() const {
  if (state_.status != ProxyParse::Status::kNeedMore) return 0;
  if (seen_ < kProxyHeaderFixedBytes) return kProxyHeaderFixedBytes - seen_;
  return total_ - seen_;
}

ProxyParse parse_proxy_header(std::string_view bytes) {
  ProxyHeaderParser parser;
  const ProxyParse parsed = parser.feed(bytes);
  return parsed.status == ProxyParse::Status::kNeedMore ? parser.end_of_stream() : parsed;
}

}  // namespace lab::net

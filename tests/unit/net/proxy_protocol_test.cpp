// The PROXY protocol v2 parser (src/net/proxy_protocol.h): the header a
// balancer sends before anything else, fed whole, cut at every byte, followed
// by the connection's first bytes, and in every way it can be wrong.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "net/proxy_protocol.h"

namespace lab::net {
namespace {

using Status = ProxyParse::Status;

const std::string kSignature("\x0D\x0A\x0D\x0A\x00\x0D\x0A\x51\x55\x49\x54\x0A", 12);

std::string big_endian16(std::size_t value) {
  return {static_cast<char>((value >> 8) & 0xFF), static_cast<char>(value & 0xFF)};
}

// Signature, version/command, family/transport, the length of `rest`, `rest`.
std::string header(std::uint8_t version_command, std::uint8_t family, const std::string& rest) {
  return kSignature + static_cast<char>(version_command) + static_cast<char>(family) + big_endian16(rest.size()) + rest;
}

// 203.0.113.7:51234 → 10.0.0.1:7103
const std::string kIpv4Addresses = std::string("\xCB\x00\x71\x07", 4) + std::string("\x0A\x00\x00\x01", 4) +
                                   big_endian16(51234) + big_endian16(7103);
// [2001:db8::7]:443 → [2001:db8::1]:7103
const std::string kIpv6Addresses = std::string("\x20\x01\x0D\xB8", 4) + std::string(10, '\0') + std::string("\x00\x07", 2) +
                                   std::string("\x20\x01\x0D\xB8", 4) + std::string(10, '\0') + std::string("\x00\x01", 2) +
                                   big_endian16(443) + big_endian16(7103);
// Two TLVs as HAProxy may add them: ALPN "h2" and a NOOP of 3 bytes.
const std::string kTlvs = std::string("\x01", 1) + big_endian16(2) + "h2" + std::string("\x04", 1) + big_endian16(3) +
                          std::string(3, '\0');

const std::string kProxyIpv4 = header(0x21, 0x11, kIpv4Addresses);

TEST(ProxyProtocol, ReadsAnIpv4ClientAndItsPort) {
  const auto parsed = parse_proxy_header(kProxyIpv4);
  ASSERT_EQ(parsed.status, Status::kDone) << describe(parsed.error);
  EXPECT_EQ(parsed.header.command, ProxyCommand::kProxy);
  EXPECT_EQ(parsed.header.source_address, "203.0.113.7");
  EXPECT_EQ(parsed.header.source_port, 51234);
  EXPECT_EQ(parsed.consumed, 28u);
}

TEST(ProxyProtocol, ReadsAnIpv6ClientAndItsPort) {
  const auto parsed = parse_proxy_header(header(0x21, 0x21, kIpv6Addresses));
  ASSERT_EQ(parsed.status, Status::kDone) << describe(parsed.error);
  EXPECT_EQ(parsed.header.source_address, "2001:db8::7");
  EXPECT_EQ(parsed.header.source_port, 443);
  EXPECT_EQ(parsed.consumed, 16u + 36u);
}

TEST(ProxyProtocol, LocalKeepsTheConnectionsOwnAddress) {
  const auto parsed = parse_proxy_header(header(0x20, 0x00, ""));
  ASSERT_EQ(parsed.status, Status::kDone) << describe(parsed.error);
  EXPECT_EQ(parsed.header.command, ProxyCommand::kLocal);
  EXPECT_EQ(parsed.header.source_address, "");
  EXPECT_EQ(parsed.header.source_port, 0);
  EXPECT_EQ(parsed.consumed, 16u);
}

TEST(ProxyProtocol, LocalIgnoresTheAddressesItCarries) {
  const auto parsed = parse_proxy_header(header(0x20, 0x11, kIpv4Addresses));
  ASSERT_EQ(parsed.status, Status::kDone) << describe(parsed.error);
  EXPECT_EQ(parsed.header.command, ProxyCommand::kLocal);
  EXPECT_EQ(parsed.header.source_address, "");
}

TEST(ProxyProtocol, SkipsTlvsAndLeavesWhatFollowsTheHeader) {
  const std::string with_tlvs = header(0x21, 0x11, kIpv4Addresses + kTlvs);
  ProxyHeaderParser parser;
  const auto parsed = parser.feed(with_tlvs + "{\"type\":\"login\"}\n");
  ASSERT_EQ(parsed.status, Status::kDone) << describe(parsed.error);
  EXPECT_EQ(parsed.header.source_address, "203.0.113.7");
  EXPECT_EQ(parsed.consumed, with_tlvs.size());
  // Once done, every further byte follows the header.
  const auto again = parser.feed("more");
  EXPECT_EQ(again.status, Status::kDone);
  EXPECT_EQ(again.consumed, 0u);
}

TEST(ProxyProtocol, AcceptsTheLongestHeaderAndRefusesOneByteMore) {
  const std::string longest = header(0x21, 0x11, kIpv4Addresses + std::string(536 - kIpv4Addresses.size(), '\0'));
  ASSERT_EQ(longest.size(), kProxyHeaderMaxBytes);
  const auto parsed = parse_proxy_header(longest);
  ASSERT_EQ(parsed.status, Status::kDone) << describe(parsed.error);
  EXPECT_EQ(parsed.consumed, kProxyHeaderMaxBytes);

  // Refused on the length alone, before any of the body arrives.
  ProxyHeaderParser parser;
  const auto refused = parser.feed(kSignature + "\x21\x11" + big_endian16(537));
  ASSERT_EQ(refused.status, Status::kError);
  EXPECT_EQ(refused.error, ProxyHeaderError::kTooLong);
  const auto largest = parser.feed(kSignature + "\x21\x11" + big_endian16(0xFFFF));
  EXPECT_EQ(largest.status, Status::kError);
}

// Every way TCP may cut the header: need-more until its last byte, then done with exactly the header's bytes;
// a stream that ends anywhere inside it is truncated.
TEST(ProxyProtocol, EveryByteSplitGivesTheSameAnswer) {
  for (const std::string& whole : {kProxyIpv4, header(0x21, 0x21, kIpv6Addresses + kTlvs), header(0x20, 0x00, kTlvs)}) {
    const auto expected = parse_proxy_header(whole);
    ASSERT_EQ(expected.status, Status::kDone);
    const std::string stream = whole + "hello\n";
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
      ProxyHeaderParser parser;
      const auto first = parser.feed(std::string_view(stream).substr(0, cut));
      ASSERT_EQ(first.status, Status::kNeedMore) << "cut at " << cut;
      const auto truncated = parser.end_of_stream();
      ASSERT_EQ(truncated.status, Status::kError);
      EXPECT_EQ(truncated.error, ProxyHeaderError::kTruncated);
      EXPECT_EQ(parse_proxy_header(std::string_view(whole).substr(0, cut)).error, ProxyHeaderError::kTruncated);

      const auto rest = parser.feed(std::string_view(stream).substr(cut));
      ASSERT_EQ(rest.status, Status::kDone) << "cut at " << cut;
      EXPECT_EQ(rest.consumed, whole.size() - cut);
      EXPECT_EQ(rest.header.command, expected.header.command);
      EXPECT_EQ(rest.header.source_address, expected.header.source_address);
      EXPECT_EQ(rest.header.source_port, expected.header.source_port);
    }
  }
}

TEST(ProxyProtocol, ByteByByteAndWantedNeverReachesPastTheHeader) {
  const std::string whole = header(0x21, 0x11, kIpv4Addresses + kTlvs);
  ProxyHeaderParser one_by_one;
  for (std::size_t i = 0; i + 1 < whole.size(); ++i) {
    ASSERT_EQ(one_by_one.feed(whole.substr(i, 1)).status, Status::kNeedMore) << i;
  }
  EXPECT_EQ(one_by_one.feed(whole.substr(whole.size() - 1) + "x").consumed, 1u);

  // A reader that asks for exactly what the parser wants takes the header and nothing after it.
  ProxyHeaderParser parser;
  std::size_t offset = 0;
  ProxyParse parsed;
  while (parsed.status == Status::kNeedMore) {
    const std::size_t n = parser.wanted();
    ASSERT_GT(n, 0u);
    parsed = parser.feed(std::string_view(whole).substr(offset, n));
    offset += n;
  }
  ASSERT_EQ(parsed.status, Status::kDone);
  EXPECT_EQ(offset, whole.size());
  EXPECT_EQ(parser.wanted(), 0u);
}

TEST(ProxyProtocol, RefusesAWrongSignatureAtTheFirstWrongByte) {
  ProxyHeaderParser http;
  const auto parsed = http.feed("G");
  ASSERT_EQ(parsed.status, Status::kError);
  EXPECT_EQ(parsed.error, ProxyHeaderError::kNotProxyV2);
  EXPECT_EQ(describe(parsed.error), "not a PROXY v2 header");

  for (std::size_t at = 0; at < kSignature.size(); ++at) {
    std::string forged = kProxyIpv4;
    forged[at] = static_cast<char>(forged[at] ^ 0x20);
    ProxyHeaderParser parser;
    const auto refused = parser.feed(std::string_view(forged).substr(0, at + 1));
    ASSERT_EQ(refused.status, Status::kError) << "byte " << at;
    EXPECT_EQ(refused.error, ProxyHeaderError::kNotProxyV2);
  }
  // A TLS ClientHello (a client that skipped the balancer) is no header either.
  EXPECT_EQ(parse_proxy_header(std::string("\x16\x03\x01\x02\x00", 5)).error, ProxyHeaderError::kNotProxyV2);
}

TEST(ProxyProtocol, RefusesTheTextFormat) {
  const auto parsed = parse_proxy_header("PROXY TCP4 203.0.113.7 10.0.0.1 51234 7103\r\n");
  ASSERT_EQ(parsed.status, Status::kError);
  EXPECT_EQ(parsed.error, ProxyHeaderError::kVersion1Text);
  ProxyHeaderParser parser;
  EXPECT_EQ(parser.feed("PROX").status, Status::kNeedMore);
  EXPECT_EQ(parser.feed("Y ").error, ProxyHeaderError::kVersion1Text);
  EXPECT_EQ(parse_proxy_header("PROXIMITY").error, ProxyHeaderError::kNotProxyV2);
}

TEST(ProxyProtocol, RefusesOtherVersionsAndCommands) {
  EXPECT_EQ(parse_proxy_header(header(0x11, 0x11, kIpv4Addresses)).error, ProxyHeaderError::kUnsupportedVersion);
  EXPECT_EQ(parse_proxy_header(header(0x31, 0x11, kIpv4Addresses)).error, ProxyHeaderError::kUnsupportedVersion);
  EXPECT_EQ(parse_proxy_header(header(0x22, 0x11, kIpv4Addresses)).error, ProxyHeaderError::kUnsupportedCommand);
  EXPECT_EQ(parse_proxy_header(header(0x2F, 0x11, kIpv4Addresses)).error, ProxyHeaderError::kUnsupportedCommand);
}

TEST(ProxyProtocol, RefusesFamiliesOtherThanTcpOverIp) {
  const std::string unix_addresses(216, '\0');
  for (const std::uint8_t family : {0x00, 0x10, 0x12, 0x20, 0x22, 0x31, 0x32, 0x41}) {
    const auto parsed = parse_proxy_header(header(0x21, family, family >= 0x30 ? unix_addresses : kIpv6Addresses));
    ASSERT_EQ(parsed.status, Status::kError) << int{family};
    EXPECT_EQ(parsed.error, ProxyHeaderError::kUnsupportedFamily) << int{family};
  }
  EXPECT_EQ(describe(ProxyHeaderError::kUnsupportedFamily), "unsupported family (only TCP over IPv4 or IPv6)");
  // LOCAL ignores the family, but not an unassigned one.
  EXPECT_EQ(parse_proxy_header(header(0x20, 0x31, "")).status, Status::kDone);
  EXPECT_EQ(parse_proxy_header(header(0x20, 0x41, "")).error, ProxyHeaderError::kUnsupportedFamily);
  EXPECT_EQ(parse_proxy_header(header(0x20, 0x13, "")).error, ProxyHeaderError::kUnsupportedFamily);
}

TEST(ProxyProtocol, RefusesALengthThatCannotHoldTheAddresses) {
  EXPECT_EQ(parse_proxy_header(header(0x21, 0x11, kIpv4Addresses.substr(0, 11))).error,
            ProxyHeaderError::kAddressesTooShort);
  EXPECT_EQ(parse_proxy_header(header(0x21, 0x21, kIpv4Addresses + kTlvs)).error, ProxyHeaderError::kAddressesTooShort);
}

TEST(ProxyProtocol, ARefusalStays) {
  ProxyHeaderParser parser;
  ASSERT_EQ(parser.feed("nope").status, Status::kError);
  EXPECT_EQ(parser.feed(kProxyIpv4).status, Status::kError);
  EXPECT_EQ(parser.end_of_stream().error, ProxyHeaderError::kNotProxyV2);
  EXPECT_EQ(parser.wanted(), 0u);
}

}  // namespace
}  // namespace lab::net

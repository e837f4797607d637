// The PROXY protocol v2 parser (src/net/proxy_protocol.h) on hostile bytes:
// what a balancer — or anyone who reaches the port — sends before everything
// else on stage 4's connections. The first input byte picks how the stream is
// cut (and whether the 12-byte signature is put in front, so the fuzzer
// spends its time past it); the rest is the stream. Checked:
//  - the answer is the same however the stream is cut, and the same when a
//    reader asks for exactly wanted() bytes at a time;
//  - done consumes exactly 16 + the declared length, never more than
//    kProxyHeaderMaxBytes, and wanted() never reaches past the header;
//  - PROXY's source is the address and port in the header's bytes (text that
//    reads back to the same bytes), LOCAL names nobody;
//  - once done or refused, the answer stays.
#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "net/proxy_protocol.h"

namespace {

using lab::net::ProxyCommand;
using lab::net::ProxyHeaderParser;
using lab::net::ProxyParse;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "proxy_header_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

bool same(const ProxyParse& a, const ProxyParse& b) {
  if (a.status != b.status) return false;
  if (a.status == ProxyParse::Status::kError) return a.error == b.error;
  if (a.status == ProxyParse::Status::kDone) {
    return a.header.command == b.header.command && a.header.source_address == b.header.source_address &&
           a.header.source_port == b.header.source_port;
  }
  return true;
}

// Feeds `stream` in chunks of 1..32 bytes from a generator seeded by the input; returns the final answer and,
// when done, where in the stream the header ended.
ProxyParse chunked(std::string_view stream, std::uint8_t seed, std::size_t& header_end) {
  ProxyHeaderParser parser;
  std::uint32_t state = 0x9E3779B9u ^ seed;
  std::size_t offset = 0;
  while (offset < stream.size()) {
    state = state * 1664525u + 1013904223u;
    const std::size_t n = std::min<std::size_t>(1 + (state >> 27), stream.size() - offset);
    const ProxyParse parsed = parser.feed(stream.substr(offset, n));
    if (parsed.status == ProxyParse::Status::kDone) {
      require(parsed.consumed <= n, "done consumed more than it was fed");
      header_end = offset + parsed.consumed;
      const ProxyParse again = parser.feed("more");
      require(same(again, parsed) && again.consumed == 0, "a done parser changed its answer");
      return parsed;
    }
    if (parsed.status == ProxyParse::Status::kError) {
      require(same(parser.feed(stream), parsed), "a refusal did not stay");
      require(parser.wanted() == 0, "a refused parser wants more");
      return parsed;
    }
    offset += n;
  }
  return parser.end_of_stream();
}

// A reader that asks for exactly what the parser wants must take the header and not a byte more.
ProxyParse by_wanted(std::string_view stream, std::size_t& taken) {
  ProxyHeaderParser parser;
  taken = 0;
  for (;;) {
    const std::size_t wanted = parser.wanted();
    require(wanted > 0 && wanted <= lab::net::kProxyHeaderMaxBytes, "wanted() is out of range while more is needed");
    if (taken == stream.size()) return parser.end_of_stream();
    const std::size_t n = std::min(wanted, stream.size() - taken);
    const ProxyParse parsed = parser.feed(stream.substr(taken, n));
    if (parsed.status == ProxyParse::Status::kDone) {
      require(parsed.consumed == n, "a read of wanted() bytes reached past the header");
      taken += n;
      return parsed;
    }
    if (parsed.status == ProxyParse::Status::kError) return parsed;
    taken += n;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  std::string stream(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode & 1) stream.insert(0, std::string("\x0D\x0A\x0D\x0A\x00\x0D\x0A\x51\x55\x49\x54\x0A", 12));

  const ProxyParse whole = lab::net::parse_proxy_header(stream);
  require(whole.status != ProxyParse::Status::kNeedMore, "the whole input left the parser undecided");

  std::size_t header_end = 0;
  const ProxyParse cut = chunked(stream, mode, header_end);
  require(same(cut, whole), "the answer depends on how the stream was cut");
  std::size_t taken = 0;
  const ProxyParse exact = by_wanted(stream, taken);
  require(same(exact, whole), "reading wanted() bytes at a time changes the answer");

  if (whole.status != ProxyParse::Status::kDone) return 0;
  require(whole.consumed == header_end && taken == header_end, "the header's end differs between readers");
  const std::size_t declared = (std::size_t{static_cast<std::uint8_t>(stream[14])} << 8) |
                               static_cast<std::uint8_t>(stream[15]);
  require(header_end == lab::net::kProxyHeaderFixedBytes + declared, "done did not consume 16 + the length");
  require(header_end <= lab::net::kProxyHeaderMaxBytes, "a header longer than the bound was accepted");

  const auto* addresses = reinterpret_cast<const std::uint8_t*>(stream.data()) + lab::net::kProxyHeaderFixedBytes;
  if (whole.header.command == ProxyCommand::kLocal) {
    require(whole.header.source_address.empty() && whole.header.source_port == 0, "LOCAL named a client");
    return 0;
  }
  const bool ipv6 = static_cast<std::uint8_t>(stream[13]) == 0x21;
  require(ipv6 || static_cast<std::uint8_t>(stream[13]) == 0x11, "PROXY accepted a family other than TCP over IP");
  std::array<std::uint8_t, 16> read_back{};
  require(::inet_pton(ipv6 ? AF_INET6 : AF_INET, whole.header.source_address.c_str(), read_back.data()) == 1,
          "the source address text does not read back");
  require(std::memcmp(read_back.data(), addresses, ipv6 ? 16 : 4) == 0, "the source address is not the header's");
  const std::size_t port_at = ipv6 ? 32 : 8;
  require(whole.header.source_port == ((addresses[port_at] << 8) | addresses[port_at + 1]),
          "the source port is not the header's");
  return 0;
}

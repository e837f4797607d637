// The line server behind a balancer (LineServerOptions::proxy_protocol, stage
// 4's HAProxy with `send-proxy-v2`): the handler sees the client the PROXY
// header names, only a trusted balancer may send one, a bad or slow header
// closes the connection without disturbing others, and TLS (stage 3's mutual
// TLS with the lab CA) starts after the header. Real sockets on loopback:
// 127.0.0.1 is the balancer, 127.0.0.2 a client that tries to skip it.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/temporary_directory.h"
#include "net/line_client.h"
#include "net/line_server.h"
#include "net/net.h"
#include "security/lab_ca_directory.h"

#include <boost/asio/ssl.hpp>

namespace lab::net {
namespace {

using namespace std::chrono_literals;

// Answers every line with the peer it sees ("address:port", then the certificate's fingerprint over mutual TLS).
class PeerEcho final : public LineHandler {
 public:
  LineReply on_line(std::string_view, ConnectionContext& connection) override {
    const PeerInfo& peer = connection.peer();
    return LineReply::now(peer.to_string() + (peer.tls_fingerprint.empty() ? "" : " " + peer.tls_fingerprint) + "\n");
  }
  std::string on_oversized_line(ConnectionContext&) override { return "too long\n"; }
  std::string on_handler_failure(ConnectionContext&) override { return "failed\n"; }
};

std::string big_endian16(std::size_t value) {
  return {static_cast<char>((value >> 8) & 0xFF), static_cast<char>(value & 0xFF)};
}

std::string proxy_header(std::uint8_t version_command, std::uint8_t family, const std::string& rest) {
  return std::string("\x0D\x0A\x0D\x0A\x00\x0D\x0A\x51\x55\x49\x54\x0A", 12) + static_cast<char>(version_command) +
         static_cast<char>(family) + big_endian16(rest.size()) + rest;
}

// PROXY: client 203.0.113.7:51234 reached the balancer's 10.0.0.1:7103; one TLV (ALPN) after the addresses.
const std::string kProxyHeader =
    proxy_header(0x21, 0x11,
                 std::string("\xCB\x00\x71\x07\x0A\x00\x00\x01", 8) + big_endian16(51234) + big_endian16(7103) +
                     std::string("\x01", 1) + big_endian16(2) + "h2");
const std::string kClient = "203.0.113.7:51234";
// LOCAL: the balancer's own health check; the addresses it carries do not count.
const std::string kLocalHeader =
    proxy_header(0x20, 0x11, std::string("\xCB\x00\x71\x07\x0A\x00\x00\x01", 8) + big_endian16(1) + big_endian16(2));

class ProxiedServer : public ::testing::Test {
 protected:
  void start(std::optional<TlsServerFiles> tls = std::nullopt) {
    LineServerOptions options;
    options.threads = 2;
    options.tls = std::move(tls);
    options.proxy_protocol = ProxyProtocolOptions{{"127.0.0.1"}, 500ms};
    server_ = std::make_unique<LineServer>(options, handler_);
    ASSERT_TRUE(server_->start().ok());
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  LineClient connect(const std::string& from = "127.0.0.1") {
    LineClient c;
    const auto connected =
        c.connect(ClientOptions{.host = "127.0.0.1", .port = server_->port(), .bind_address = from, .timeout = 5s});
    EXPECT_TRUE(connected.ok()) << connected.error().message;
    return c;
  }

  // The answer to one line after `header`, sent as two writes.
  std::string answer_after(const std::string& header) {
    LineClient c = connect();
    EXPECT_TRUE(c.send_raw(header).ok());
    EXPECT_TRUE(c.send_line("who am I").ok());
    auto answer = c.read_line();
    return answer.ok() ? *answer : "error: " + answer.error().message;
  }

  PeerEcho handler_;
  std::unique_ptr<LineServer> server_;
};

TEST_F(ProxiedServer, TheHandlerSeesTheClientTheTrustedBalancerNames) {
  start();
  EXPECT_EQ(answer_after(kProxyHeader), kClient);
}

TEST_F(ProxiedServer, TheHeaderAndTheFirstLinesInOneWriteAreAllRead) {
  start();
  LineClient c = connect();
  ASSERT_TRUE(c.send_raw(kProxyHeader + "one\ntwo\n").ok());
  for (int i = 0; i < 2; ++i) {
    auto answer = c.read_line();
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(*answer, kClient);
  }
}

TEST_F(ProxiedServer, AnIpv6ClientIsNamedToo) {
  start();
  const std::string addresses = std::string("\x20\x01\x0D\xB8", 4) + std::string(10, '\0') + std::string("\x00\x07", 2) +
                                std::string(16, '\0') + big_endian16(443) + big_endian16(7103);
  EXPECT_EQ(answer_after(proxy_header(0x21, 0x21, addresses)), "2001:db8::7:443");
}

TEST_F(ProxiedServer, ALocalHeaderKeepsTheSocketsAddress) {
  start();
  const std::string answer = answer_after(kLocalHeader);
  EXPECT_EQ(answer.rfind("127.0.0.1:", 0), 0u) << answer;
  EXPECT_EQ(answer.find("203.0.113.7"), std::string::npos) << answer;
}

TEST_F(ProxiedServer, AConnectionFromAnUntrustedAddressIsClosed) {
  start();
  // A client that skips the balancer and forges a header of its own.
  LineClient forger = connect("127.0.0.2");
  (void)forger.send_raw(kProxyHeader + "who am I\n");
  EXPECT_FALSE(forger.read_line().ok());
  EXPECT_EQ(answer_after(kProxyHeader), kClient);
}

TEST_F(ProxiedServer, GarbageIsClosedAndTheServerKeepsServingOthers) {
  start();
  LineClient waiting = connect();  // mid-header while the others come and go
  ASSERT_TRUE(waiting.send_raw(kProxyHeader.substr(0, 5)).ok());
  for (const std::string& garbage : {std::string("GET / HTTP/1.1\r\n\r\n"),
                                     std::string("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\nhi\n"),
                                     std::string("\x16\x03\x01\x00\x05hello", 10)}) {
    LineClient c = connect();
    ASSERT_TRUE(c.send_raw(garbage).ok());
    EXPECT_FALSE(c.read_line().ok()) << garbage;
  }
  EXPECT_EQ(answer_after(kProxyHeader), kClient);
}

TEST_F(ProxiedServer, AHeaderNotCompleteWithinTheDeadlineIsClosed) {
  start();
  LineClient c = connect();
  ASSERT_TRUE(c.send_raw(kProxyHeader.substr(0, 20)).ok());
  const auto began = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.read_line(5s).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - began, 3s);
  EXPECT_EQ(answer_after(kProxyHeader), kClient);
}

TEST(ProxiedServerOptions, TheServerNeedsATrustedSourceThatIsAnAddress) {
  PeerEcho handler;
  LineServerOptions options;
  options.threads = 1;
  options.proxy_protocol = ProxyProtocolOptions{};
  EXPECT_FALSE(LineServer(options, handler).start().ok());
  options.proxy_protocol->trusted_sources = {"balancer.local"};
  EXPECT_FALSE(LineServer(options, handler).start().ok());
}

// Stage 3's TLS: the lab CA, the server's certificate, mutual TLS with an agent's certificate.
class ProxiedMutualTls : public ProxiedServer {
 protected:
  void SetUp() override {
    auto dir = TemporaryDirectory::create("lab-proxy-tls-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::make_unique<TemporaryDirectory>(std::move(dir).value());
    const std::vector<std::string> agents{"worker-1"};
    auto made = security::prepare_lab_ca_directory(dir_->path(), agents);
    ASSERT_TRUE(made.ok()) << made.error().message;
    ca_ = std::move(made).value();
    start(TlsServerFiles{ca_.server.certificate.string(), ca_.server.private_key.string(),
                         ca_.ca_certificate.string()});
  }

  // Connects as the balancer does: the header in plain TCP, held back (MSG_MORE) so that the ClientHello leaves
  // in the same segment, then the handshake, one line and its answer.
  std::string exchange(const std::string& header) {
    asio::io_context io;
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.load_verify_file(ca_.ca_certificate.string());
    context.set_verify_mode(asio::ssl::verify_peer);
    const auto& agent = ca_.agents.front().second;
    context.use_certificate_file(agent.certificate.string(), asio::ssl::context::pem);
    context.use_private_key_file(agent.private_key.string(), asio::ssl::context::pem);
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    if (::send(socket.native_handle(), header.data(), header.size(), MSG_MORE) != static_cast<ssize_t>(header.size())) {
      return "error: header not sent";
    }
    asio::ssl::stream<tcp::socket&> tls(socket, context);
    SSL_set_tlsext_host_name(tls.native_handle(), security::kLabServerName);
    tls.set_verify_callback(asio::ssl::host_name_verification(security::kLabServerName));

    std::string answer;
    error_code failure;
    bool finished = false;
    const std::string line = "who am I\n";
    tls.async_handshake(asio::ssl::stream_base::client, [&](error_code ec) {
      if (ec) {
        failure = ec;
        finished = true;
        return;
      }
      asio::async_write(tls, asio::buffer(line), [&](error_code ec, std::size_t) {
        if (ec) {
          failure = ec;
          finished = true;
          return;
        }
        asio::async_read_until(tls, asio::dynamic_buffer(answer), '\n', [&](error_code ec, std::size_t n) {
          failure = ec;
          if (!ec) answer.resize(n - 1);
          finished = true;
        });
      });
    });
    io.run_for(10s);
    if (!finished) return "error: timed out";
    return failure ? "error: " + failure.message() : answer;
  }

  std::unique_ptr<TemporaryDirectory> dir_;
  security::LabCaDirectory ca_;
};

TEST_F(ProxiedMutualTls, TheHeaderComesFirstThenTheHandshake) {
  EXPECT_EQ(exchange(kProxyHeader), kClient + " " + ca_.agents.front().second.fingerprint);
}

TEST_F(ProxiedMutualTls, ALocalHeaderThenTheHandshakeKeepsTheSocketsAddress) {
  const std::string answer = exchange(kLocalHeader);
  EXPECT_EQ(answer.rfind("127.0.0.1:", 0), 0u) << answer;
  EXPECT_NE(answer.find(ca_.agents.front().second.fingerprint), std::string::npos) << answer;
}

TEST_F(ProxiedMutualTls, AHandshakeWithoutTheHeaderIsClosed) {
  EXPECT_EQ(exchange("").rfind("error: ", 0), 0u);
}

}  // namespace
}  // namespace lab::net

#include "attacks/tcp_relay.h"

#include <array>
#include <mutex>
#include <thread>
#include <vector>

#include "net/net.h"

namespace lab::attacks {

using net::asio::ip::tcp;
namespace asio = net::asio;

struct TcpRelay::Impl {
  struct Recording {
    mutable std::mutex mutex;
    std::string up, down;
    std::size_t max = 0;
    void add(bool upstream, const char* data, std::size_t n) {
      std::lock_guard lock(mutex);
      std::string& s = upstream ? up : down;
      s.append(data, std::min(n, max - std::min(max, s.size())));
    }
  };

  // One relayed connection: two sockets and a pump in each direction.
  struct Pair : std::enable_shared_from_this<Pair> {
    Pair(asio::io_context& io, Recording& rec) : client(io), server(io), recording(rec) {}
    tcp::socket client, server;
    Recording& recording;
    std::array<char, 16384> up_buf{}, down_buf{};

    void close() {
      net::error_code ignored;
      client.close(ignored);
      server.close(ignored);
    }
    void pump(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buf, bool upstream) {
      from.async_read_some(asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf, upstream](
                                                  net::error_code ec, std::size_t n) {
        if (ec) return self->close();
        self->recording.add(upstream, buf.data(), n);
        asio::async_write(to, asio::buffer(buf.data(), n),
                          [self, &from, &to, &buf, upstream](net::error_code wec, std::size_t) {
                            if (wec) return self->close();
                            self->pump(from, to, buf, upstream);
                          });
      });
    }
  };

  asio::io_context io;
  tcp::acceptor acceptor{io};
  tcp::endpoint target, listening;
  Recording recording;
  bool stopping = false;  // touched only on the relay thread
  std::vector<std::weak_ptr<Pair>> pairs;  // touched only on the relay thread
  std::thread thread;
  std::once_flag stopped;

  void accept() {
    auto pair = std::make_shared<Pair>(io, recording);
    acceptor.async_accept(pair->client, [this, pair](net::error_code ec) {
      if (ec) return;
      if (stopping) return pair->close();
      pairs.push_back(pair);
      pair->server.async_connect(target, [this, pair](net::error_code cec) {
        if (cec || stopping) return pair->close();
        pair->pump(pair->client, pair->server, pair->up_buf, true);
        pair->pump(pair->server, pair->client, pair->down_buf, false);
      });
      accept();
    });
  }
};

TcpRelay::TcpRelay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TcpRelay::~TcpRelay() { stop(); }

Result<std::unique_ptr<TcpRelay>> TcpRelay::start(const std::string& listen_address,
                                                  const net::ClientOptions& target, std::size_t max_recorded) {
  auto impl = std::make_unique<Impl>();
  impl->recording.max = max_recorded;
  net::error_code ec;
  const auto listen = asio::ip::make_address(listen_address, ec);
  if (!ec) impl->target = tcp::endpoint(asio::ip::make_address(target.host, ec), target.port);
  if (ec) return Error{ErrorCode::kInvalidField, "bad relay address: " + ec.message()};
  impl->acceptor.open(listen.is_v4() ? tcp::v4() : tcp::v6(), ec);
  if (!ec) impl->acceptor.bind(tcp::endpoint(listen, 0), ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error{ErrorCode::kConnectionFailed, "relay cannot listen on " + listen_address + ": " + ec.message()};
  impl->listening = impl->acceptor.local_endpoint(ec);
  if (ec) return Error{ErrorCode::kConnectionFailed, "relay has no local endpoint: " + ec.message()};
  impl->accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<TcpRelay>(new TcpRelay(std::move(impl)));
}

net::ClientOptions TcpRelay::endpoint() const {
  net::ClientOptions o;
  o.host = impl_->listening.address().to_string();
  o.port = impl_->listening.port();
  return o;
}

std::string TcpRelay::client_to_server() const {
  std::lock_guard lock(impl_->recording.mutex);
  return impl_->recording.up;
}

std::string TcpRelay::server_to_client() const {
  std::lock_guard lock(impl_->recording.mutex);
  return impl_->recording.down;
}

void TcpRelay::stop() {
  std::call_once(impl_->stopped, [this] {
    Impl* i = impl_.get();
    asio::post(i->io, [i] {
      net::error_code ignored;
      i->stopping = true;
      i->acceptor.close(ignored);
      for (auto& weak : i->pairs) {
        if (auto p = weak.lock()) p->close();
      }
    });
    if (i->thread.joinable()) i->thread.join();
  });
}

}  // namespace lab::attacks

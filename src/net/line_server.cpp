#include "net/line_server.h"

#include <array>
#include <atomic>
#include <deque>
#include <optional>
#include <type_traits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/line_assembler.h"
#include <boost/asio/ssl.hpp>
#include <openssl/ssl.h>

#include "net/net.h"

namespace lab::net {
namespace {

using asio::awaitable;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

// After a fatal framing error the rest of the peer's message is read and
// discarded (bounded) so the error response is not lost to a TCP reset.
constexpr std::size_t kMaxDiscardBytes = 256 << 20;
constexpr auto kDiscardDeadline = std::chrono::seconds(2);
constexpr auto kHandshakeDeadline = std::chrono::seconds(10);

// What stop() needs of a connection, whatever its stream type.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Any thread.
  virtual void request_close() = 0;
};

// Live connections, so stop() can close them.
class ConnectionSet {
 public:
  void add(std::uint64_t id, std::weak_ptr<ConnectionBase> c) {
    std::lock_guard lock(mutex_);
    live_.emplace(id, std::move(c));
  }
  void remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    live_.erase(id);
  }
  std::vector<std::shared_ptr<ConnectionBase>> snapshot() {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<ConnectionBase>> out;
    for (auto& [id, w] : live_) {
      if (auto c = w.lock()) out.push_back(std::move(c));
    }
    return out;
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return live_.size();
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<ConnectionBase>> live_;
};

// One connection over a plain TCP socket or a TLS stream (Stream).
template <class Stream>
class Connection final : public std::enable_shared_from_this<Connection<Stream>>,
                         public ConnectionBase,
                         public OutboundChannel,
                         public ConnectionContext {
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;
  using std::enable_shared_from_this<Connection<Stream>>::shared_from_this;
  using std::enable_shared_from_this<Connection<Stream>>::weak_from_this;

 public:
  Connection(Stream stream, PeerInfo peer, const LineServerOptions& options, LineHandler& handler,
             ConnectionSet& set)
      : socket_(std::move(stream)),
        wake_writer_(socket_.get_executor()),
        wake_reader_(socket_.get_executor()),
        idle_timer_(socket_.get_executor()),
        peer_(std::move(peer)),
        options_(options),
        handler_(handler),
        set_(set),
        assembler_(options.max_line_bytes) {
    wake_writer_.expires_at(asio::steady_timer::time_point::max());
    wake_reader_.expires_at(asio::steady_timer::time_point::max());
  }

  ~Connection() override { set_.remove(peer_.connection_id); }

  void start() {
    set_.add(peer_.connection_id, weak_from_this());
    auto self = shared_from_this();
    if constexpr (kTls) {
      asio::co_spawn(socket_.get_executor(), [self]() { return self->handshake_then_run(); }, asio::detached);
    } else {
      run();
    }
  }

 private:
  // TLS: the handshake first, within a deadline, then the same loops as plain TCP.
  awaitable<void> handshake_then_run() {
    auto self = shared_from_this();
    asio::steady_timer deadline(socket_.get_executor(), kHandshakeDeadline);
    deadline.async_wait([self](error_code ec) {
      if (!ec) self->close();
    });
    error_code ec;
    co_await socket_.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
    deadline.cancel();
    if (ec || closed_) {
      close();
      co_return;
    }
    run();
  }

  void run() {
    auto self = shared_from_this();
    asio::co_spawn(socket_.get_executor(), [self]() { return self->read_loop(); }, asio::detached);
    asio::co_spawn(socket_.get_executor(), [self]() { return self->write_loop(); }, asio::detached);
    if (options_.idle_timeout.count() > 0) {
      asio::co_spawn(socket_.get_executor(), [self]() { return self->idle_watch(); }, asio::detached);
    }
  }

 public:
  // OutboundChannel: may be called from any thread.
  bool push(std::string line) override {
    if (closed_.load()) return false;
    asio::post(socket_.get_executor(), [self = shared_from_this(), line = std::move(line)]() mutable {
      if (self->queued_bytes_ + line.size() > self->options_.outbound_limit_bytes) {
        spdlog::warn("dropping {}: consumer too slow ({} bytes queued)", self->peer_.to_string(),
                     self->queued_bytes_);
        self->close();
        return;
      }
      self->enqueue(std::move(line));
    });
    return true;
  }

  const PeerInfo& peer() const override { return peer_; }
  std::shared_ptr<OutboundChannel> channel() override { return shared_from_this(); }

  // Any thread.
  void request_close() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->close(); });
  }

 private:
  awaitable<void> read_loop() {
    auto self = shared_from_this();
    std::array<char, 16 * 1024> buf;
    std::vector<std::string> lines;
    bool oversized = false;
    while (!closed_) {
      error_code ec;
      const std::size_t n =
          co_await socket_.async_read_some(asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      last_activity_ = Clock::now();
      lines.clear();
      const auto fed = assembler_.feed(std::string_view(buf.data(), n), lines);
      for (auto& line : lines) {
        enqueue(respond(line));
        if (closed_) break;
      }
      if (fed == LineAssembler::Feed::kTooLarge) {
        oversized = true;
        break;
      }
      while (queued_bytes_ > options_.outbound_high_water_bytes && !closed_) {
        co_await wake_reader_.async_wait(asio::redirect_error(use_awaitable, ec));
      }
    }
    if (oversized && !closed_) {
      enqueue(handler_.on_oversized_line(*this));
      finish_after_flush_ = true;
      wake_writer_.cancel();
      co_await discard_input();
    }
    close();
  }

  std::string respond(const std::string& line) {
    try {
      return handler_.on_line(line, *this);
    } catch (const std::exception& e) {
      spdlog::error("handler failed for {}: {}", peer_.to_string(), e.what());
      return handler_.on_handler_failure(*this);
    }
  }

  // Reads and drops what the peer is still sending, bounded in bytes and time.
  awaitable<void> discard_input() {
    std::array<char, 16 * 1024> buf;
    std::size_t discarded = 0;
    const auto deadline = Clock::now() + kDiscardDeadline;
    asio::steady_timer guard(socket_.get_executor());
    guard.expires_at(deadline);
    guard.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->close();
    });
    while (!closed_ && discarded < kMaxDiscardBytes) {
      error_code ec;
      const std::size_t n =
          co_await socket_.async_read_some(asio::buffer(buf), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      discarded += n;
    }
    guard.cancel();
  }

  awaitable<void> write_loop() {
    auto self = shared_from_this();
    std::vector<std::string> batch;
    std::vector<asio::const_buffer> buffers;
    for (;;) {
      while (queue_.empty()) {
        if (closed_) co_return;
        if (finish_after_flush_) {
          error_code ignored;
          socket_.lowest_layer().shutdown(tcp::socket::shutdown_send, ignored);
          co_return;
        }
        error_code ec;
        co_await wake_writer_.async_wait(asio::redirect_error(use_awaitable, ec));
      }
      batch.clear();
      buffers.clear();
      while (!queue_.empty() && batch.size() < 64) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      for (const auto& s : batch) buffers.emplace_back(asio::buffer(s));
      error_code ec;
      co_await asio::async_write(socket_, buffers, asio::redirect_error(use_awaitable, ec));
      for (const auto& s : batch) queued_bytes_ -= s.size();
      wake_reader_.cancel();
      if (ec) {
        close();
        co_return;
      }
    }
  }

  awaitable<void> idle_watch() {
    auto self = shared_from_this();
    last_activity_ = Clock::now();
    while (!closed_) {
      idle_timer_.expires_at(last_activity_ + options_.idle_timeout);
      error_code ec;
      co_await idle_timer_.async_wait(asio::redirect_error(use_awaitable, ec));
      if (closed_) break;
      if (Clock::now() >= last_activity_ + options_.idle_timeout) {
        spdlog::info("closing idle connection {}", peer_.to_string());
        close();
      }
    }
  }

  void enqueue(std::string line) {
    if (closed_) return;
    queued_bytes_ += line.size();
    queue_.push_back(std::move(line));
    wake_writer_.cancel();
  }

  void close() {
    if (closed_.exchange(true)) return;
    error_code ignored;
    socket_.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    socket_.lowest_layer().close(ignored);
    wake_writer_.cancel();
    wake_reader_.cancel();
    idle_timer_.cancel();
    handler_.on_close(peer_);
  }

  Stream socket_;
  asio::steady_timer wake_writer_;
  asio::steady_timer wake_reader_;
  asio::steady_timer idle_timer_;
  PeerInfo peer_;
  const LineServerOptions& options_;
  LineHandler& handler_;
  ConnectionSet& set_;
  LineAssembler assembler_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool finish_after_flush_ = false;
  std::atomic<bool> closed_{false};
  Clock::time_point last_activity_ = Clock::now();
};

}  // namespace

struct LineServer::Impl {
  Impl(LineServerOptions o, LineHandler& h) : options(std::move(o)), handler(h), acceptor(io) {}

  awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io),
                                                          asio::redirect_error(use_awaitable, ec));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {
        // e.g. EMFILE: keep serving the connections we have, retry shortly.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      error_code peer_ec;
      const auto remote = socket.remote_endpoint(peer_ec);
      if (peer_ec) continue;  // the peer is already gone
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      PeerInfo peer{remote.address().to_string(), remote.port(), ++next_connection_id};
      if (ssl) {
        using TlsStream = asio::ssl::stream<tcp::socket>;
        std::make_shared<Connection<TlsStream>>(TlsStream(std::move(socket), *ssl), std::move(peer), options, handler,
                                                connections)
            ->start();
      } else {
        std::make_shared<Connection<tcp::socket>>(std::move(socket), std::move(peer), options, handler, connections)
            ->start();
      }
    }
  }

  LineServerOptions options;
  LineHandler& handler;
  ConnectionSet connections;  // before io: connections unregister while io is destroyed
  asio::io_context io;
  std::optional<asio::ssl::context> ssl;  // set when options.tls is
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::uint64_t next_connection_id = 0;
  std::uint16_t port = 0;
  std::once_flag stopped;
};

LineServer::LineServer(LineServerOptions options, LineHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

LineServer::~LineServer() { stop(); }

Status LineServer::start() {
  auto& i = *impl_;
  if (i.options.tls) {
    try {
      i.ssl.emplace(asio::ssl::context::tls_server);
      SSL_CTX_set_min_proto_version(i.ssl->native_handle(), TLS1_3_VERSION);
      i.ssl->use_certificate_chain_file(i.options.tls->certificate_chain_file);
      i.ssl->use_private_key_file(i.options.tls->private_key_file, asio::ssl::context::pem);
    } catch (const std::exception& e) {
      return Error{ErrorCode::kInternalError, std::string("TLS set-up failed: ") + e.what()};
    }
  }
  error_code ec;
  const auto address = asio::ip::make_address(i.options.bind_address, ec);
  if (ec) return Error{ErrorCode::kInvalidField, "bad bind address '" + i.options.bind_address + "'"};
  const tcp::endpoint endpoint(address, i.options.port);
  i.acceptor.open(endpoint.protocol(), ec);
  if (!ec) i.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) i.acceptor.bind(endpoint, ec);
  if (!ec) i.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kInternalError,
                 "cannot listen on " + i.options.bind_address + ":" + std::to_string(i.options.port) + ": " +
                     ec.message()};
  }
  i.port = i.acceptor.local_endpoint().port();
  asio::co_spawn(i.io, [&i] { return i.accept_loop(); }, asio::detached);
  int n = i.options.threads > 0 ? i.options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  for (int t = 0; t < n; ++t) i.threads.emplace_back([&i] { i.io.run(); });
  return ok_status();
}

std::uint16_t LineServer::port() const { return impl_->port; }

std::size_t LineServer::open_connections() const { return impl_->connections.size(); }

void LineServer::stop() {
  auto& i = *impl_;
  std::call_once(i.stopped, [&i] {
    asio::post(i.io, [&i] {
      error_code ignored;
      i.acceptor.close(ignored);
    });
    for (auto& c : i.connections.snapshot()) c->request_close();
    // Give the closes a moment to run, then stop the loop.
    asio::steady_timer grace(i.io, std::chrono::milliseconds(20));
    grace.async_wait([&i](error_code) { i.io.stop(); });
    if (i.threads.empty()) return;
    for (auto& t : i.threads) t.join();
    i.threads.clear();
  });
}

}  // namespace lab::net

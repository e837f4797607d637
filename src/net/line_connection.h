// The connections of LineServer (internal to src/net): one per accepted
// socket, over plain TCP or TLS. A read coroutine frames lines and answers them
// in order, a write coroutine drains the bounded outbound queue, an optional
// watchdog closes idle connections; all three run on the connection's strand.
// Behind a balancer (LineServerOptions::proxy_protocol) its PROXY header is
// read first, then TLS and the loops as without one.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/line_assembler.h"
#include "net/line_server.h"
#include "net/net.h"
#include "net/proxy_protocol.h"
#include "net/read_buffer.h"
#include "net/tls_peer.h"

#include <boost/asio/ssl.hpp>

namespace lab::net::detail {

using asio::awaitable;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

// After a fatal framing error the rest of the peer's message is read and
// discarded (bounded) so the error response is not lost to a TCP reset. The
// deadline leaves a slow sender (a loaded machine, a thin link) time to finish
// sending a large message and read the refusal.
constexpr std::size_t kMaxDiscardBytes = 256 << 20;
constexpr auto kDiscardDeadline = std::chrono::seconds(5);
constexpr auto kHandshakeDeadline = std::chrono::seconds(10);
constexpr std::size_t kReadChunkBytes = 16 * 1024;     // TLS: one record's plaintext
constexpr std::size_t kPlainReadChunkBytes = 2 * 1024;  // plain TCP: an idle connection's whole read buffer, to start

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
             ConnectionSet& set, asio::thread_pool& blocking)
      : socket_(std::move(stream)),
        blocking_(blocking),
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
    if (options_.proxy_protocol) {
      auto self = shared_from_this();
      asio::co_spawn(socket_.get_executor(), [self]() { return self->proxy_header_then_begin(); }, asio::detached);
    } else {
      begin();
    }
  }

 private:
  // TLS's handshake, or plain TCP's loops straight away.
  void begin() {
    if constexpr (kTls) {
      auto self = shared_from_this();
      asio::co_spawn(socket_.get_executor(), [self]() { return self->handshake_then_run(); }, asio::detached);
    } else {
      error_code ec;
      socket_.non_blocking(true, ec);  // flush() writes what the socket takes now and leaves the rest
      run();
    }
  }

  // The TCP socket under the stream: the PROXY header comes before any TLS byte.
  tcp::socket& tcp_socket() {
    if constexpr (kTls) {
      return socket_.next_layer();
    } else {
      return socket_;
    }
  }

  // Behind a balancer: its PROXY v2 header first, whole within the deadline, or the connection closes. Each read
  // asks for no more than the header still needs, so what follows it (the first line, a TLS ClientHello, even in
  // the same segment) stays in the socket for the stream that reads next. PROXY names the client the handler
  // sees; LOCAL (the balancer's health check) leaves the socket's own address.
  awaitable<void> proxy_header_then_begin() {
    auto self = shared_from_this();
    const auto limit = options_.proxy_protocol->header_deadline;
    asio::steady_timer deadline(socket_.get_executor(), limit);
    deadline.async_wait([self](error_code ec) {
      if (!ec) self->close();
    });
    ProxyHeaderParser parser;
    ProxyParse parsed;
    std::array<char, kProxyHeaderMaxBytes> buffer;
    std::size_t received = 0;
    error_code ec;
    while (parsed.status == ProxyParse::Status::kNeedMore) {
      const std::size_t n = co_await tcp_socket().async_read_some(
          asio::buffer(buffer.data(), std::min(buffer.size(), parser.wanted())),
          asio::redirect_error(use_awaitable, ec));
      if (ec) {
        parsed = parser.end_of_stream();
        break;
      }
      received += n;
      parsed = parser.feed(std::string_view(buffer.data(), n));
    }
    deadline.cancel();
    if (closed_) {  // the deadline, or the server stopping
      if (Clock::now() >= deadline.expiry()) {
        spdlog::warn("closing {}: no complete PROXY header within {} ms", peer_.to_string(), limit.count());
      }
      co_return;
    }
    if (parsed.status != ProxyParse::Status::kDone) {
      if (received == 0) {
        // A plain TCP check of the balancer's, or a peer gone at once: nothing was claimed.
        spdlog::debug("{} closed before a PROXY header", peer_.to_string());
      } else {
        spdlog::warn("closing {}: {}", peer_.to_string(), describe(parsed.error));
      }
      close();
      co_return;
    }
    if (parsed.header.command == ProxyCommand::kProxy) {
      spdlog::debug("{} relays client {}:{}", peer_.to_string(), parsed.header.source_address,
                    parsed.header.source_port);
      peer_.address = std::move(parsed.header.source_address);
      peer_.port = parsed.header.source_port;
    }
    begin();
  }

  // TLS: the handshake first, within a deadline, then the same loops as plain TCP.
  awaitable<void> handshake_then_run() {
    auto self = shared_from_this();
    // A silent peer is closed by the idle deadline when that is shorter: a handshake is no way around it.
    const auto handshake_deadline = options_.idle_timeout.count() > 0
                                        ? std::min<Clock::duration>(kHandshakeDeadline, options_.idle_timeout)
                                        : Clock::duration(kHandshakeDeadline);
    asio::steady_timer deadline(socket_.get_executor(), handshake_deadline);
    deadline.async_wait([self](error_code ec) {
      if (!ec) self->close();
    });
    error_code ec;
    co_await socket_.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
    deadline.cancel();
    if (ec) spdlog::debug("TLS handshake with {} failed: {}", peer_.to_string(), ec.message());
    if (ec || closed_) {
      close();
      co_return;
    }
    peer_.tls_fingerprint = peer_certificate_sha256(socket_.native_handle());
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
    std::vector<std::string> lines;
    bool oversized = false;
    while (!closed_) {
      error_code ec;
      // One read into the connection's own buffer. Asio reads at once when bytes are there and otherwise queues
      // the read for the reactor without another system call: a readiness wait (async_wait) would re-arm the
      // socket in epoll (epoll_ctl) before every request. For plain TCP the buffer starts small, so an idle
      // connection stays cheap, and grows while reads fill it (ReadBuffer); TLS records need the larger one.
      const std::size_t n = co_await socket_.async_read_some(asio::buffer(read_buffer_.data(), read_buffer_.size()),
                                                             asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      const std::string_view chunk = read_buffer_.received(n);
      last_activity_ = Clock::now();
      lines.clear();
      const auto fed = assembler_.feed(chunk, lines);
      for (auto& line : lines) {
        queue_answer(co_await respond(line));
        if (closed_) break;
      }
      flush();
      read_buffer_.adapt(n);  // the chunk was copied into lines and the assembler: the buffer may change
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

  // The handler's answer to one line; offloaded work runs on the blocking
  // pool and the coroutine resumes on this connection's strand with its result.
  awaitable<std::string> respond(const std::string& line) {
    LineReply reply;
    try {
      reply = handler_.on_line(line, *this);
    } catch (const std::exception& e) {
      co_return failure(e);
    }
    if (!reply.offload) co_return std::move(reply.line);
    auto work = [this, offload = std::move(reply.offload)]() -> awaitable<std::string> {
      try {
        co_return offload();
      } catch (const std::exception& e) {
        co_return failure(e);
      }
    };
    co_return co_await asio::co_spawn(blocking_, std::move(work), use_awaitable);
  }

  std::string failure(const std::exception& e) {
    spdlog::error("handler failed for {}: {}", peer_.to_string(), e.what());
    return handler_.on_handler_failure(*this);
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
      last_activity_ = Clock::now();  // a peer still sending is not idle: the idle watch must not cut it off
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
      writing_ = true;
      co_await asio::async_write(socket_, buffers, asio::redirect_error(use_awaitable, ec));
      writing_ = false;
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
    queue_answer(std::move(line));
    if (!closed_) wake_writer_.cancel();
  }

  // The answers to one read's lines are queued, then flushed together.
  void queue_answer(std::string line) {
    if (closed_) return;
    queued_bytes_ += line.size();
    queue_.push_back(std::move(line));
  }

  // Plain TCP, with no write of the write loop's in flight: what the socket takes at once is written here, by the
  // reader (one system call for a whole pipelined batch, no hand-off to the write loop and back); the write loop
  // gets only what is left. TLS always goes through the write loop, since a TLS write may need to read.
  void flush() {
    if constexpr (!kTls) {
      if (!writing_ && !queue_.empty() && !closed_) {
        std::array<asio::const_buffer, 64> buffers;
        std::size_t count = 0;
        for (auto it = queue_.begin(); it != queue_.end() && count < buffers.size(); ++it) {
          buffers[count++] = asio::buffer(*it);
        }
        error_code ec;
        std::size_t written = socket_.write_some(std::span<const asio::const_buffer>(buffers.data(), count), ec);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
          close();
          return;
        }
        queued_bytes_ -= written;
        while (written > 0) {
          std::string& front = queue_.front();
          if (written < front.size()) {
            front.erase(0, written);
            break;
          }
          written -= front.size();
          queue_.pop_front();
        }
      }
    }
    if (!queue_.empty() && !closed_) wake_writer_.cancel();
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
  asio::thread_pool& blocking_;
  asio::steady_timer wake_writer_;
  asio::steady_timer wake_reader_;
  asio::steady_timer idle_timer_;
  PeerInfo peer_;
  const LineServerOptions& options_;
  LineHandler& handler_;
  ConnectionSet& set_;
  LineAssembler assembler_;
  std::deque<std::string> queue_;
  ReadBuffer read_buffer_{kTls ? kReadChunkBytes : kPlainReadChunkBytes, kReadChunkBytes};  // the last read's bytes
  std::size_t queued_bytes_ = 0;
  bool finish_after_flush_ = false;
  bool writing_ = false;  // the write loop has a write in flight: nothing else may write
  std::atomic<bool> closed_{false};
  Clock::time_point last_activity_ = Clock::now();
};

}  // namespace lab::net::detail

#include "net/load_driver.h"

#include <algorithm>
#include <cstring>

#include "net/net.h"

namespace lab::net {
namespace {

using asio::awaitable;
using asio::use_awaitable;

struct Driver {
  explicit Driver(const LoadPlan& p) : plan(p) {}

  const LoadPlan& plan;
  asio::io_context io{1};
  LoadResult result;
  int finished = 0;
  int setup_done = 0;
  std::chrono::steady_clock::time_point measured_start{};

  static void append_line(std::string& out, std::string line) {
    out += line;
    if (line.empty() || line.back() != '\n') out.push_back('\n');
  }

  // What a connection has received and not yet consumed: bytes [start, data.size()).
  struct Inbox {
    std::string data;
    std::size_t start = 0;
  };

  // The next `lines` lines, as one view into the inbox (valid until the next read). The inbox is
  // compacted only when it must grow, so pipelined responses cost no copying per line.
  awaitable<bool> read_response(tcp::socket& socket, Inbox& in, int lines, std::string_view& response) {
    std::size_t end = in.start;
    for (int l = 0; l < lines; ++l) {
      for (;;) {
        const void* nl = std::memchr(in.data.data() + end, '\n', in.data.size() - end);
        if (nl) {
          end = static_cast<std::size_t>(static_cast<const char*>(nl) - in.data.data()) + 1;
          break;
        }
        if (in.start > 0) {  // make room at the back by dropping what was consumed
          in.data.erase(0, in.start);
          end -= in.start;
          in.start = 0;
        }
        const std::size_t old_size = in.data.size();
        in.data.resize(old_size + 64 * 1024);
        error_code ec;
        const std::size_t n = co_await socket.async_read_some(asio::buffer(in.data.data() + old_size, 64 * 1024),
                                                              asio::redirect_error(use_awaitable, ec));
        in.data.resize(old_size + (ec ? 0 : n));
        if (ec) co_return false;
      }
    }
    response = std::string_view(in.data.data() + in.start, end - in.start - 1);  // without the last '\n'
    in.start = end;
    co_return true;
  }

  awaitable<bool> exchange(tcp::socket& socket, Inbox& in, std::string line) {
    std::string out;
    append_line(out, std::move(line));
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    std::string_view response;
    co_return co_await read_response(socket, in, 1, response);
  }

  // Writes requests [first, first + count) together, then reads and checks their responses.
  awaitable<bool> batch(int index, int first, int count, tcp::socket& socket, Inbox& in, std::string& out) {
    out.clear();
    for (int i = first; i < first + count; ++i) append_line(out, plan.make_request(index, i));
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    std::string_view response;
    for (int i = first; i < first + count; ++i) {
      if (!co_await read_response(socket, in, plan.lines_per_response, response)) co_return false;
      if (!plan.check || plan.check(index, i, response)) {
        ++result.ok;
      } else {
        ++result.rejected;
      }
    }
    co_return true;
  }

  awaitable<void> connection(int index, tcp::endpoint endpoint) {
    tcp::socket socket(io);
    error_code ec;
    co_await socket.async_connect(endpoint, asio::redirect_error(use_awaitable, ec));
    Inbox in;
    std::string out;
    bool alive = !ec;
    if (ec) ++result.connect_failures;
    if (alive && plan.setup) {
      for (auto& line : plan.setup(index)) {
        if (!(alive = co_await exchange(socket, in, std::move(line)))) break;
      }
    }
    // Measure only once every connection is set up.
    if (++setup_done == plan.connections) measured_start = std::chrono::steady_clock::now();
    while (alive && setup_done < plan.connections) {
      asio::steady_timer wait(io, std::chrono::milliseconds(1));
      co_await wait.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    const int depth = std::max(plan.pipeline, 1);
    for (int i = 0; alive && i < plan.requests_per_connection; i += depth) {
      if (!co_await batch(index, i, std::min(depth, plan.requests_per_connection - i), socket, in, out)) {
        ++result.transport_failures;
        break;
      }
    }
    socket.close(ec);
    if (++finished == plan.connections) io.stop();
  }
};

}  // namespace

LoadResult run_load(const LoadPlan& plan) {
  Driver d(plan);
  const tcp::endpoint endpoint(asio::ip::make_address(plan.host), plan.port);
  for (int c = 0; c < plan.connections; ++c) {
    asio::co_spawn(d.io, d.connection(c, endpoint), asio::detached);
  }
  asio::steady_timer deadline(d.io, plan.deadline);
  deadline.async_wait([&d](error_code ec) {
    if (!ec) {
      d.result.timed_out = true;
      d.io.stop();
    }
  });
  const auto start = std::chrono::steady_clock::now();
  d.io.run();
  if (d.measured_start == std::chrono::steady_clock::time_point{}) d.measured_start = start;
  d.result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - d.measured_start).count();
  return d.result;
}

}  // namespace lab::net

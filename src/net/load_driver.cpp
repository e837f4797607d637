#include "net/load_driver.h"

#include <algorithm>

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

  // Reads one response (`lines` lines) into `response`.
  awaitable<bool> read_response(tcp::socket& socket, std::string& buffer, int lines, std::string& response) {
    response.clear();
    for (int l = 0; l < lines; ++l) {
      error_code ec;
      const std::size_t n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), '\n',
                                                            asio::redirect_error(use_awaitable, ec));
      if (ec) co_return false;
      if (l > 0) response.push_back('\n');
      response.append(buffer.data(), n - 1);
      buffer.erase(0, n);
    }
    co_return true;
  }

  awaitable<bool> exchange(tcp::socket& socket, std::string& buffer, std::string line, std::string& response) {
    std::string out;
    append_line(out, std::move(line));
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    co_return co_await read_response(socket, buffer, 1, response);
  }

  // Writes requests [first, first + count) together, then reads and checks their responses.
  awaitable<bool> batch(int index, int first, int count, tcp::socket& socket, std::string& buffer) {
    std::string out;
    for (int i = first; i < first + count; ++i) append_line(out, plan.make_request(index, i));
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    std::string response;
    for (int i = first; i < first + count; ++i) {
      if (!co_await read_response(socket, buffer, plan.lines_per_response, response)) co_return false;
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
    std::string buffer;
    std::string response;
    bool alive = !ec;
    if (ec) ++result.connect_failures;
    if (alive && plan.setup) {
      for (auto& line : plan.setup(index)) {
        if (!(alive = co_await exchange(socket, buffer, std::move(line), response))) break;
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
      if (!co_await batch(index, i, std::min(depth, plan.requests_per_connection - i), socket, buffer)) {
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

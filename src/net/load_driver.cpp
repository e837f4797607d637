#include "net/load_driver.h"

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

  awaitable<bool> exchange(tcp::socket& socket, std::string& buffer, std::string line, std::string& response) {
    if (line.empty() || line.back() != '\n') line.push_back('\n');
    error_code ec;
    co_await asio::async_write(socket, asio::buffer(line), asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    const std::size_t n = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer), '\n',
                                                          asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    response.assign(buffer.data(), n - 1);
    buffer.erase(0, n);
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
    for (int i = 0; alive && i < plan.requests_per_connection; ++i) {
      if (!co_await exchange(socket, buffer, plan.make_request(index, i), response)) {
        ++result.transport_failures;
        break;
      }
      if (!plan.check || plan.check(index, i, response)) {
        ++result.ok;
      } else {
        ++result.rejected;
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

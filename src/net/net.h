// The one Asio include of the project. <utility> must precede Asio 1.74's
// awaitable.hpp under GCC 12 (std::exchange). Only src/net/*.cpp include this,
// so Asio stays out of most translation units.
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace lab::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
}  // namespace lab::net

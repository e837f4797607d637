// The one Boost.Beast include of the project (with Asio's SSL streams), and the names its users share. Only the
// HTTPS server and client and the web benchmark's stream client include it, so Beast stays out of everything else
// (the routes, the controls and their tests see web/http_message.h).
#pragma once

#include <utility>  // before Asio 1.74's awaitable.hpp under GCC 12 (std::exchange)

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace lab::web {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
}  // namespace lab::web

// An HTTP request and response as the web front sees them: plain values, no Beast types, so that the routes, the
// controls and their tests never include the HTTP library (web/https_server.cpp is where Beast lives).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lab::web {

class EventStream;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/api/projects/p-1", percent-decoding left to the route
  std::string query;   // after '?', undecoded
  std::map<std::string, std::string, std::less<>> headers;  // names in lower case; repeated ones joined by ", "
  std::string body;
  std::string peer_address;
  std::uint16_t peer_port = 0;
  std::uint64_t connection_id = 0;

  // The header's value, or empty.
  std::string_view header(std::string_view lower_case_name) const;
  // One parameter of the query string, percent-decoded; nullopt when absent.
  std::optional<std::string> query_parameter(std::string_view name) const;
  // GET, HEAD and OPTIONS change nothing; every other method may.
  bool is_state_changing() const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Set-Cookie may repeat
  std::string body;
  // Non-null: a server-sent event stream; the server writes the headers, then every event the stream yields, until
  // it ends or the client leaves.
  std::shared_ptr<EventStream> stream;

  void set(std::string name, std::string value);   // replaces a header of that name
  void add(std::string name, std::string value);   // adds one more (Set-Cookie)
  std::string_view header(std::string_view name) const;  // the first of that name (case-insensitive), or empty

  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string content_type, std::string body);
};

// Percent-decoding of a URL component ('+' is a space in a query); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace lab::web

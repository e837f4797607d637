#include "web/http_message.h"

#include <algorithm>
#include <cctype>

namespace lab::web {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view HttpRequest::header(std::string_view lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string_view{} : std::string_view{it->second};
}

std::optional<std::string> HttpRequest::query_parameter(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    return percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

bool HttpRequest::is_state_changing() const { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

void HttpResponse::set(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return same_name(h.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

void HttpResponse::add(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }

std::string_view HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (same_name(n, name)) return v;
  }
  return {};
}

HttpResponse HttpResponse::json(int status, std::string body) {
  return text(status, "application/json", std::move(body));
}

HttpResponse HttpResponse::text(int status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace lab::web

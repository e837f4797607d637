#include "redis/redis_reply.h"

#include <charconv>

namespace lab::redis {

bool RedisReply::is_error(std::string_view code) const {
  if (kind != Kind::kError) return false;
  const std::string_view t = text;
  return t.substr(0, t.find(' ')) == code;
}

std::optional<std::int64_t> RedisReply::as_integer() const {
  if (kind == Kind::kInteger) return integer;
  if (kind != Kind::kString) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string RedisReply::describe() const {
  constexpr std::size_t kShown = 80;
  auto shortened = [](const std::string& s) { return s.size() > kShown ? s.substr(0, kShown) + "…" : s; };
  switch (kind) {
    case Kind::kNil: return "(nil)";
    case Kind::kString: return "\"" + shortened(text) + "\"";
    case Kind::kStatus: return shortened(text);
    case Kind::kInteger: return "(integer) " + std::to_string(integer);
    case Kind::kError: return "(error) " + shortened(text);
    case Kind::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i) out += ", ";
        if (i == 8) return out + "…]";
        out += elements[i].describe();
      }
      return out + "]";
    }
  }
  return "?";
}

}  // namespace lab::redis

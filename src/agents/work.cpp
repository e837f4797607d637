#include "agents/work.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace lab::agents {
namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in{std::string(text)};
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Integer arithmetic on 64-bit signed integers: + - * / and parentheses,
// recursive descent. The text comes from a peer, so every operation is checked:
// an overflow, a division by zero or nesting past 64 levels makes the
// expression invalid (with the reason in error()), never undefined behaviour.
class Expression {
 public:
  explicit Expression(std::string_view text) : s_(text) {}

  std::optional<long long> evaluate() {
    auto v = sum();
    skip();
    if (v && pos_ != s_.size()) return fail("unexpected text at offset " + std::to_string(pos_));
    return v;
  }
  const std::string& error() const { return error_; }

 private:
  using Value = std::optional<long long>;
  using Checked = bool (*)(long long, long long, long long*);

  Value fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return std::nullopt;
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Value apply(Checked op, long long a, const Value& b) {
    if (!b) return std::nullopt;
    long long out = 0;
    if (op(a, *b, &out)) return fail("integer overflow");
    return out;
  }
  static bool add(long long a, long long b, long long* out) { return __builtin_add_overflow(a, b, out); }
  static bool sub(long long a, long long b, long long* out) { return __builtin_sub_overflow(a, b, out); }
  static bool mul(long long a, long long b, long long* out) { return __builtin_mul_overflow(a, b, out); }
  Value divide(long long a, const Value& b) {
    if (!b) return std::nullopt;
    if (*b == 0) return fail("division by zero");
    if (a == std::numeric_limits<long long>::min() && *b == -1) return fail("integer overflow");
    return a / *b;
  }
  Value sum() {
    auto v = product();
    while (v) {
      if (eat('+')) {
        v = apply(add, *v, product());
      } else if (eat('-')) {
        v = apply(sub, *v, product());
      } else {
        break;
      }
    }
    return v;
  }
  Value product() {
    auto v = factor();
    while (v) {
      if (eat('*')) {
        v = apply(mul, *v, factor());
      } else if (eat('/')) {
        v = divide(*v, factor());
      } else {
        break;
      }
    }
    return v;
  }
  Value factor() {
    if (++depth_ > 64) return fail("nested more than 64 levels");
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    if (eat('-')) return apply(sub, 0, factor());
    if (eat('(')) {
      auto v = sum();
      if (v && !eat(')')) return fail("missing ')'");
      return v;
    }
    skip();
    long long v = 0;
    const auto start = pos_;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      if (__builtin_mul_overflow(v, 10LL, &v) || __builtin_add_overflow(v, s_[pos_++] - '0', &v)) {
        return fail("integer overflow");
      }
    }
    if (pos_ == start) return fail("expected a number at offset " + std::to_string(pos_));
    return v;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

Json analyse_data(std::string_view input) {
  std::map<std::string, int> counts;
  std::vector<double> numbers;
  std::size_t words = 0;
  std::string token;
  auto flush = [&] {
    if (token.empty()) return;
    ++words;
    char* end = nullptr;
    const double d = std::strtod(token.c_str(), &end);
    if (end && *end == '\0') {
      numbers.push_back(d);
    } else {
      ++counts[lower(token)];
    }
    token.clear();
  };
  for (char c : input) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') {
      token.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  std::vector<std::pair<std::string, int>> top(counts.begin(), counts.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  Json top_words = Json::array();
  for (std::size_t i = 0; i < top.size() && i < 3; ++i) top_words.push_back({top[i].first, top[i].second});
  Json stats{{"count", numbers.size()}};
  if (!numbers.empty()) {
    double sum = 0;
    for (double n : numbers) sum += n;
    stats["min"] = *std::min_element(numbers.begin(), numbers.end());
    stats["max"] = *std::max_element(numbers.begin(), numbers.end());
    stats["mean"] = sum / static_cast<double>(numbers.size());
  }
  return Json{{"kind", "data_analysis"},
              {"lines", split_lines(input).size()},
              {"words", words},
              {"characters", input.size()},
              {"unique_words", counts.size()},
              {"top_words", top_words},
              {"numbers", stats}};
}

Json review_code(std::string_view input) {
  static constexpr std::string_view kDangerous[] = {"strcpy(", "strcat(", "sprintf(", "gets(", "system(",
                                                    "eval(",   "exec(",   "popen(",   "rand("};
  const auto lines = split_lines(input);
  Json findings = Json::array();
  int todo = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const auto at = "line " + std::to_string(i + 1);
    if (l.size() > 100) findings.push_back(at + ": longer than 100 characters");
    if (!l.empty() && (l.back() == ' ' || l.back() == '\t')) findings.push_back(at + ": trailing whitespace");
    if (l.find('\t') != std::string::npos) findings.push_back(at + ": tab character");
    if (l.find("TODO") != std::string::npos || l.find("FIXME") != std::string::npos) {
      ++todo;
      findings.push_back(at + ": unresolved TODO/FIXME");
    }
    for (auto call : kDangerous) {
      if (l.find(call) != std::string::npos) {
        findings.push_back(at + ": dangerous call " + std::string(call.substr(0, call.size() - 1)));
      }
    }
  }
  const bool has_tests = input.find("test") != std::string_view::npos || input.find("assert") != std::string_view::npos;
  return Json{{"kind", "code_review"},
              {"lines_reviewed", lines.size()},
              {"findings", findings},
              {"todo_markers", todo},
              {"mentions_tests", has_tests},
              {"verdict", findings.empty() ? "approve" : "changes requested"}};
}

Json run_tests(std::string_view input) {
  Json cases = Json::array();
  int passed = 0;
  int failed = 0;
  int invalid = 0;
  for (const auto& raw : split_lines(input)) {
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.rfind('=');
    std::optional<long long> actual;
    std::optional<long long> expected;
    std::string why = "no '=' between the expression and its expected value";
    if (eq != std::string::npos) {
      Expression left(std::string_view(line).substr(0, eq));
      Expression right(std::string_view(line).substr(eq + 1));
      actual = left.evaluate();
      expected = right.evaluate();
      why = !actual ? left.error() : right.error();
    }
    std::string verdict;
    if (!actual || !expected) {
      verdict = "invalid";
      ++invalid;
    } else if (*actual == *expected) {
      verdict = "pass";
      ++passed;
    } else {
      verdict = "fail";
      ++failed;
    }
    Json c{{"case", line}, {"verdict", verdict}};
    if (actual) c["actual"] = *actual;
    if (verdict == "invalid") c["reason"] = why;
    cases.push_back(std::move(c));
  }
  return Json{{"kind", "testing"}, {"passed", passed}, {"failed", failed}, {"invalid", invalid}, {"cases", cases}};
}

Json summarise_document(std::string_view input) {
  Json outline = Json::array();
  std::size_t words = 0;
  std::string first_sentence;
  for (const auto& line : split_lines(input)) {
    const std::string t = trim(line);
    if (t.rfind('#', 0) == 0) {
      const auto level = t.find_first_not_of('#');
      if (level != std::string::npos) outline.push_back({{"level", level}, {"title", trim(t.substr(level))}});
      continue;
    }
    std::istringstream in(t);
    std::string w;
    while (in >> w) ++words;
    if (first_sentence.empty() && !t.empty()) {
      const auto dot = t.find(". ");
      first_sentence = dot == std::string::npos ? t : t.substr(0, dot + 1);
    }
  }
  Json missing = Json::array();
  const std::string text = lower(std::string(input));
  for (const char* section : {"usage", "installation", "security"}) {
    if (text.find(std::string("# ") + section) == std::string::npos &&
        text.find(std::string("## ") + section) == std::string::npos) {
      missing.push_back(section);
    }
  }
  return Json{{"kind", "documentation"},
              {"outline", outline},
              {"words", words},
              {"summary", first_sentence},
              {"missing_sections", missing}};
}

Json perform_work(Specialty specialty, std::string_view input) {
  switch (specialty) {
    case Specialty::kDataAnalysis:
      return analyse_data(input);
    case Specialty::kCodeReview:
      return review_code(input);
    case Specialty::kTesting:
      return run_tests(input);
    case Specialty::kDocumentation:
      return summarise_document(input);
  }
  return Json();
}

}  // namespace lab::agents

// parse_json_bounded (src/core/bounded_json.h): JSON from peers and from
// disk. The input is a nesting bound (the first byte: 0..79, or the
// production 64 when above), then the text. Never a crash, and
//  - kOk: the tree is no deeper than the bound (as json_nesting_depth counts
//    it) and dumps without throwing; dumping, parsing and dumping again gives
//    the same text;
//  - kTooDeep: the text is deeper than the bound, and what comes back is only
//    the scalar members of a top-level object (or null);
//  - kMalformed: null.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bounded_json.h"

namespace {

using lab::Json;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bounded_json_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

// Nesting depth of a tree, counted without recursion (the top-level container is 1, a scalar 0).
int tree_depth(const Json& root) {
  int deepest = 0;
  std::vector<std::pair<const Json*, int>> todo{{&root, 1}};
  while (!todo.empty()) {
    auto [value, depth] = todo.back();
    todo.pop_back();
    if (!value->is_structured()) continue;
    if (depth > deepest) deepest = depth;
    for (const auto& child : *value) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int max_depth = data[0] < 80 ? data[0] : lab::kMaxJsonDepth;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto parsed = lab::parse_json_bounded(text, max_depth);
  switch (parsed.status) {
    case lab::JsonParseStatus::kOk: {
      require(lab::json_nesting_depth(text, max_depth) <= max_depth, "kOk for a text deeper than the bound");
      require(tree_depth(parsed.value) <= max_depth, "kOk with a tree deeper than the bound");
      std::string once;
      try {
        once = parsed.value.dump();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bounded_json_fuzzer: dumping a parsed document threw: %s\n", e.what());
        std::abort();
      }
      const auto reread = lab::parse_json_bounded(once, max_depth);
      require(reread.status == lab::JsonParseStatus::kOk, "the dump of a parsed document does not parse");
      require(reread.value.dump() == once, "dump, parse, dump is not stable");
      break;
    }
    case lab::JsonParseStatus::kTooDeep:
      require(lab::json_nesting_depth(text, max_depth) > max_depth, "kTooDeep for a text within the bound");
      require(parsed.value.is_null() || parsed.value.is_object(), "kTooDeep gave something other than an object");
      for (const auto& member : parsed.value) {
        require(!member.is_structured(), "kTooDeep kept a member that is an array or an object");
      }
      (void)parsed.value.dump(-1, ' ', false, Json::error_handler_t::strict);
      break;
    case lab::JsonParseStatus::kMalformed:
      require(parsed.value.is_null(), "kMalformed with a value");
      break;
  }
  return 0;
}

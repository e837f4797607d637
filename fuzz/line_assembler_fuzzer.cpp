// The line framer (src/core/line_assembler.h) on a hostile byte stream: the
// input is a small maximum line length, then the stream, cut into chunks of
// fuzzed sizes the way TCP reads may cut it. Checked against a model that
// splits the whole stream at once:
//  - every delivered line is within the limit and holds no '\n';
//  - the lines delivered are exactly the stream's lines (one trailing '\r'
//    removed), in order, however the stream was cut;
//  - kTooLarge comes exactly when a line (complete or not) exceeds the limit,
//    after which the assembler holds nothing and stays refused;
//  - otherwise it buffers exactly the unfinished tail, never more than the limit.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/line_assembler.h"

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "line_assembler_fuzzer: invariant broken: %s\n", what);
    std::abort();
  }
}

// What the assembler must produce for `stream` fed whole.
struct Expected {
  std::vector<std::string> lines;
  bool too_large = false;
  std::size_t tail = 0;  // bytes of the unfinished last line
};

Expected model(std::string_view stream, std::size_t max) {
  Expected e;
  const auto exceeds = [max](std::size_t n) { return max != lab::LineAssembler::kUnlimited && n > max; };
  while (true) {
    const std::size_t nl = stream.find('\n');
    if (nl == std::string_view::npos) {
      e.too_large = exceeds(stream.size());
      e.tail = e.too_large ? 0 : stream.size();
      return e;
    }
    std::string_view line = stream.substr(0, nl);
    if (exceeds(line.size())) {  // the limit applies before the '\r' is removed
      e.too_large = true;
      return e;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    e.lines.emplace_back(line);
    stream.remove_prefix(nl + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  // 0 is "unlimited" (stage 1); otherwise a limit small enough to be hit often.
  const std::size_t max = in.ConsumeIntegralInRange<std::size_t>(0, 64);
  const std::uint8_t seed = in.ConsumeIntegral<std::uint8_t>();
  const std::string stream = in.ConsumeRemainingBytesAsString();

  lab::LineAssembler assembler(max);
  std::vector<std::string> lines;
  bool too_large = false;
  // Chunk sizes from a small generator seeded by the input, so the whole
  // remainder stays stream bytes: 1..32 bytes per read.
  std::uint32_t state = 0x9E3779B9u ^ seed;
  std::size_t offset = 0;
  while (offset < stream.size()) {
    state = state * 1664525u + 1013904223u;
    const std::size_t n = std::min<std::size_t>(1 + (state >> 27), stream.size() - offset);
    const std::size_t before = lines.size();
    const auto result = assembler.feed(std::string_view(stream).substr(offset, n), lines);
    offset += n;
    for (std::size_t i = before; i < lines.size(); ++i) {
      require(max == 0 || lines[i].size() <= max, "a delivered line is longer than the limit");
      require(lines[i].find('\n') == std::string::npos, "a delivered line holds a newline");
    }
    if (result == lab::LineAssembler::Feed::kTooLarge) {
      too_large = true;
      require(assembler.buffered_bytes() == 0, "the assembler holds bytes after kTooLarge");
      const std::size_t held = lines.size();
      require(assembler.feed("more\n", lines) == lab::LineAssembler::Feed::kTooLarge,
              "the assembler accepted input after kTooLarge");
      require(lines.size() == held, "a line was delivered after kTooLarge");
      break;
    }
    require(max == 0 || assembler.buffered_bytes() <= max, "the assembler buffers more than the limit");
  }

  const Expected expected = model(stream, max);
  require(too_large == expected.too_large, "kTooLarge does not match the stream's longest line");
  require(lines == expected.lines, "the delivered lines differ from the stream's lines");
  if (!too_large) require(assembler.buffered_bytes() == expected.tail, "the buffered tail is wrong");
  return 0;
}

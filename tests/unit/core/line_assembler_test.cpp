// Framing: a TCP byte stream cut into newline-delimited lines, with a bounded buffer.
#include "core/line_assembler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lab {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> feed_all(LineAssembler& a, std::string_view bytes) {
  std::vector<std::string> lines;
  EXPECT_EQ(a.feed(bytes, lines), LineAssembler::Feed::kOk);
  return lines;
}

TEST(LineAssemblerTest, OneCompleteLineIsReturnedWithoutItsNewline) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "{\"type\":\"login\"}\n"), ElementsAre("{\"type\":\"login\"}"));
  EXPECT_EQ(a.buffered_bytes(), 0u);
}

TEST(LineAssemblerTest, SeveralLinesInOneReadAreAllReturnedInOrder) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "a\nbb\nccc\n"), ElementsAre("a", "bb", "ccc"));
}

TEST(LineAssemblerTest, AnIncompleteLineWaitsForTheRestOfIt) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "hel"), IsEmpty());
  EXPECT_EQ(a.buffered_bytes(), 3u);
  EXPECT_THAT(feed_all(a, "lo\nwor"), ElementsAre("hello"));
  EXPECT_EQ(a.buffered_bytes(), 3u);
  EXPECT_THAT(feed_all(a, "ld\n"), ElementsAre("world"));
}

TEST(LineAssemblerTest, ALineDeliveredOneByteAtATimeIsReassembled) {
  LineAssembler a(64);
  const std::string msg = "{\"type\":\"list_projects\",\"request_id\":1}\n";
  std::vector<std::string> lines;
  for (char c : msg) ASSERT_EQ(a.feed(std::string_view(&c, 1), lines), LineAssembler::Feed::kOk);
  EXPECT_THAT(lines, ElementsAre(msg.substr(0, msg.size() - 1)));
}

TEST(LineAssemblerTest, CrLfPeersGetTheCarriageReturnStripped) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "one\r\ntwo\n"), ElementsAre("one", "two"));
}

TEST(LineAssemblerTest, ACarriageReturnSplitFromItsNewlineIsStillStripped) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "one\r"), IsEmpty());
  EXPECT_THAT(feed_all(a, "\n"), ElementsAre("one"));
}

TEST(LineAssemblerTest, OnlyOneTrailingCarriageReturnIsStripped) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "x\r\r\n\ry\n"), ElementsAre("x\r", "\ry"));
}

TEST(LineAssemblerTest, EmptyLinesAreReportedAsEmptyStrings) {
  LineAssembler a(LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, "\n\r\na\n"), ElementsAre("", "", "a"));
}

TEST(LineAssemblerTest, BinaryBytesIncludingNulPassThroughUnchanged) {
  LineAssembler a(LineAssembler::kUnlimited);
  const std::string bytes("\0\xff\xfe\x01", 4);
  EXPECT_THAT(feed_all(a, bytes + "\n"), ElementsAre(bytes));
}

TEST(LineAssemblerTest, ALineOfExactlyTheLimitIsAccepted) {
  LineAssembler a(8);
  EXPECT_THAT(feed_all(a, "12345678\n"), ElementsAre("12345678"));
}

TEST(LineAssemblerTest, ALineOverTheLimitIsReportedTooLargeAndItsBufferReleased) {
  LineAssembler a(8);
  std::vector<std::string> lines;
  EXPECT_EQ(a.feed("12345", lines), LineAssembler::Feed::kOk);
  EXPECT_EQ(a.feed("6789", lines), LineAssembler::Feed::kTooLarge);
  EXPECT_THAT(lines, IsEmpty());
  EXPECT_EQ(a.buffered_bytes(), 0u);
}

TEST(LineAssemblerTest, AnOversizedLineIsDetectedBeforeItsNewlineArrives) {
  LineAssembler a(1024);
  std::vector<std::string> lines;
  EXPECT_EQ(a.feed(std::string(4096, 'x'), lines), LineAssembler::Feed::kTooLarge);
  EXPECT_EQ(a.buffered_bytes(), 0u);
}

TEST(LineAssemblerTest, LinesCompletedBeforeTheOversizedOneAreStillDelivered) {
  LineAssembler a(4);
  std::vector<std::string> lines;
  EXPECT_EQ(a.feed("ok\nfine\ntoo-long\nnever\n", lines), LineAssembler::Feed::kTooLarge);
  EXPECT_THAT(lines, ElementsAre("ok", "fine"));
}

TEST(LineAssemblerTest, AfterTooLargeEveryFurtherFeedIsRefused) {
  LineAssembler a(4);
  std::vector<std::string> lines;
  ASSERT_EQ(a.feed("toolong\n", lines), LineAssembler::Feed::kTooLarge);
  EXPECT_EQ(a.feed("ok\n", lines), LineAssembler::Feed::kTooLarge);
  EXPECT_THAT(lines, IsEmpty());
  EXPECT_EQ(a.buffered_bytes(), 0u);
}

TEST(LineAssemblerTest, TheLimitAppliesPerLineNotPerRead) {
  LineAssembler a(4);
  std::vector<std::string> lines;
  EXPECT_EQ(a.feed("abcd\nefgh\nijkl\n", lines), LineAssembler::Feed::kOk);
  EXPECT_THAT(lines, ElementsAre("abcd", "efgh", "ijkl"));
}

TEST(LineAssemblerTest, UnlimitedAcceptsAMegabyteLine) {
  LineAssembler a(LineAssembler::kUnlimited);
  const std::string big(1 << 20, 'z');
  EXPECT_EQ(a.max_line_bytes(), LineAssembler::kUnlimited);
  EXPECT_THAT(feed_all(a, big + "\n"), ElementsAre(big));
}

}  // namespace
}  // namespace lab

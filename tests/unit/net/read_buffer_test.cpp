// A connection's read buffer: small while the peer sends a line at a time, larger while reads fill it, small again
// once the peer has gone back to single lines for a while.
#include <gtest/gtest.h>

#include <cstring>

#include "net/read_buffer.h"

namespace lab::net::detail {
namespace {

constexpr std::size_t kSmall = 2 * 1024, kCap = 16 * 1024;

TEST(ReadBuffer, StartsAtItsInitialSizeAndHandsBackWhatWasRead) {
  ReadBuffer buffer(kSmall, kCap);
  EXPECT_EQ(buffer.size(), kSmall);
  std::memcpy(buffer.data(), "hello\n", 6);
  EXPECT_EQ(buffer.received(6), "hello\n");
  buffer.adapt(6);
  EXPECT_EQ(buffer.size(), kSmall);
}

TEST(ReadBuffer, GrowsWhileReadsFillItUpToItsCap) {
  ReadBuffer buffer(kSmall, kCap);
  buffer.data();
  buffer.adapt(kSmall);
  EXPECT_EQ(buffer.size(), 4 * kSmall);
  buffer.adapt(4 * kSmall);
  EXPECT_EQ(buffer.size(), kCap);
  buffer.adapt(kCap);
  EXPECT_EQ(buffer.size(), kCap);
}

TEST(ReadBuffer, ShrinksOnlyAfterARunOfSmallReads) {
  ReadBuffer buffer(kSmall, kCap);
  buffer.data();
  buffer.adapt(kSmall);
  ASSERT_GT(buffer.size(), kSmall);
  for (int i = 1; i < ReadBuffer::kShrinkAfterSmallReads; ++i) buffer.adapt(100);
  buffer.adapt(kSmall + 1);  // a read larger than the small size breaks the run
  for (int i = 1; i < ReadBuffer::kShrinkAfterSmallReads; ++i) buffer.adapt(100);
  EXPECT_GT(buffer.size(), kSmall);
  buffer.adapt(100);
  EXPECT_EQ(buffer.size(), kSmall);
}

TEST(ReadBuffer, AFixedSizeBufferNeverChanges) {
  ReadBuffer buffer(kCap, kCap);  // TLS: a record's plaintext at a time
  buffer.data();
  buffer.adapt(kCap);
  EXPECT_EQ(buffer.size(), kCap);
  for (int i = 0; i < 2 * ReadBuffer::kShrinkAfterSmallReads; ++i) buffer.adapt(10);
  EXPECT_EQ(buffer.size(), kCap);
}

}  // namespace
}  // namespace lab::net::detail

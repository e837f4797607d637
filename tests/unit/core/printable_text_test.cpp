// Peer text shown in a log line or on a terminal can neither forge a line
// nor send the terminal a control sequence.
#include <gtest/gtest.h>

#include "core/printable_text.h"

namespace lab {
namespace {

using namespace std::string_literals;

TEST(Printable, KeepsOrdinaryTextIncludingNonAsciiLetters) {
  EXPECT_EQ(printable("alice-wonderland 2026"), "alice-wonderland 2026");
  EXPECT_EQ(printable("Zoë — 東京"), "Zoë — 東京");
}

TEST(Printable, ANewlineCannotStartAForgedLogLine) {
  EXPECT_EQ(printable("x\n12:00:00.000 info login: admin (admin) from 10.0.0.1"),
            "x\\n12:00:00.000 info login: admin (admin) from 10.0.0.1");
  EXPECT_EQ(printable("a\r\tb"), "a\\r\\tb");
}

TEST(Printable, EscapeSequencesAreShownNotSent) {
  EXPECT_EQ(printable("\x1b]52;c;aGk=\x07"), "\\x1b]52;c;aGk=\\x07") << "OSC 52 (clipboard write)";
  EXPECT_EQ(printable("\x1b[2J"), "\\x1b[2J");
  EXPECT_EQ(printable("\xc2\x9b" "31m"), "\\u009b31m") << "8-bit CSI in UTF-8";
  EXPECT_EQ(printable("\x7f"), "\\x7f");
  EXPECT_EQ(printable("a\0b"s), "a\\x00b");
}

TEST(Printable, BidiOverridesAndInvalidUtf8AreVisible) {
  EXPECT_EQ(printable("file\xe2\x80\xaetxt.exe"), "file\\u202etxt.exe");
  EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(printable("\xc3"), "\\xc3") << "a truncated sequence";
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf") << "an overlong encoding";
}

TEST(Printable, IsIdempotent) {
  const std::string hostile = "a\n\x1b[31m\xc2\x9b\xff";
  EXPECT_EQ(printable(printable(hostile)), printable(hostile));
}

TEST(PrintableLines, KeepsLineBreaksAndTabsOnly) {
  EXPECT_EQ(printable_lines("one\n\ttwo\x1b[0m\r"), "one\n\ttwo\\x1b[0m\\r");
}

}  // namespace
}  // namespace lab

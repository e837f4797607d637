// Hand-written documents cite the code: a link to a file (and to lines of it)
// must lead to that file, the lines must hold the markers the paragraph
// quotes, and a marker or a statement quoted beside the link must be in the
// linked file as written. Generated documents are checked by `lab docs`.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/file_io.h"

namespace lab {
namespace {

const std::filesystem::path kRoot = LAB_SOURCE_DIR;

std::vector<std::filesystem::path> hand_written_documents() {
  std::vector<std::filesystem::path> out{kRoot / "README.md", kRoot / "docs" / "ARCHITECTURE.md",
                                         kRoot / "docs" / "PROTOCOL.md"};
  for (const auto& entry : std::filesystem::directory_iterator(kRoot / "stages")) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "README.md")) {
      out.push_back(entry.path() / "README.md");
    }
  }
  return out;
}

std::vector<std::string> paragraphs_of(const std::string& text) {
  std::vector<std::string> out(1);
  std::istringstream in(text);
  bool fenced = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    if (fenced || line.empty()) {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    out.back() += line + "\n";
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A code span that reads as a statement or a marker (not a command, a name or a wire code).
bool quotes_code(const std::string& span) {
  if (span.rfind("// VULN", 0) == 0 || span.rfind("// FIX", 0) == 0) return true;
  if (span.rfind("./lab", 0) == 0 || span.rfind("$", 0) == 0) return false;
  return span.find('(') != std::string::npos && span.find(')') != std::string::npos;
}

// How a quoted span is looked for in code: a function named with "()" as a call of it; a span the Markdown
// source wraps over two lines as one line.
std::string as_in_code(std::string span) {
  for (auto& ch : span) {
    if (ch == '\n') ch = ' ';
  }
  if (span.size() > 2 && span.ends_with("()") && span.find(' ') == std::string::npos) span.pop_back();
  return span;
}

TEST(DocumentLinks, LeadToTheCodeTheyQuote) {
  static const std::regex kLink(R"(\]\(([^)#\s]+\.(?:cpp|h))(?:#L(\d+)(?:-L(\d+))?)?\))");
  static const std::regex kSpan(R"(`([^`]+)`)");
  static const std::regex kMarkerId(R"((VULN|FIX) (V-\d{3}))");
  int links = 0;
  for (const auto& doc : hand_written_documents()) {
    const auto text = read_file(doc);
    ASSERT_TRUE(text.has_value()) << doc;
    for (const auto& paragraph : paragraphs_of(*text)) {
      std::vector<std::string> linked;  // the content of every file the paragraph links to
      for (std::sregex_iterator it(paragraph.begin(), paragraph.end(), kLink), end; it != end; ++it) {
        ++links;
        const auto target = (doc.parent_path() / (*it)[1].str()).lexically_normal();
        const auto code = read_file(target);
        ASSERT_TRUE(code.has_value()) << doc << " links to " << (*it)[1] << ", which does not exist";
        linked.push_back(*code);
        const auto lines = lines_of(*code);
        if (!(*it)[2].matched) continue;
        const int first = std::stoi((*it)[2]);
        const int last = (*it)[3].matched ? std::stoi((*it)[3]) : first;
        ASSERT_LE(last, static_cast<int>(lines.size())) << doc << ": " << (*it)[0] << " is past the end of the file";
        std::string cited;
        for (int n = first; n <= last; ++n) cited += lines[static_cast<std::size_t>(n - 1)] + "\n";
        // Every marker of this file the paragraph names is in the cited lines.
        for (std::sregex_iterator m(paragraph.begin(), paragraph.end(), kMarkerId); m != end; ++m) {
          if (code->find("// " + (*m)[0].str()) == std::string::npos) continue;  // another file's marker
          EXPECT_NE(cited.find("// " + (*m)[0].str()), std::string::npos)
              << doc << ": " << (*it)[0] << " does not hold the `// " << (*m)[0] << "` its paragraph quotes";
        }
      }
      if (linked.empty()) continue;
      // Every statement or marker quoted beside the links is in one of the linked files, as written.
      for (std::sregex_iterator s(paragraph.begin(), paragraph.end(), kSpan), end; s != end; ++s) {
        const std::string span = (*s)[1];
        if (!quotes_code(span)) continue;
        const std::string wanted = as_in_code(span);
        bool found = false;
        for (const auto& code : linked) found = found || code.find(wanted) != std::string::npos;
        EXPECT_TRUE(found) << doc << ": `" << span << "` is quoted beside links to code that does not hold it";
      }
    }
  }
  EXPECT_GT(links, 0);
}

}  // namespace
}  // namespace lab

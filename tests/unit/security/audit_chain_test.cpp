// Stage 3's audit log: what is appended verifies, the hash formula is the
// documented one, any edit, deletion, insertion, reordering or torn line is
// reported at the line where the chain breaks, an intact log is continued
// after a restart, a tampered one is never appended to, and concurrent
// writers get one gapless chain.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "core/bounded_json.h"
#include "core/file_io.h"
#include "security/audit_chain.h"
#include "security/digest.h"

namespace lab::security {
namespace {

using namespace std::chrono_literals;

constexpr int kEntries = 6;

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "lab_audit_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ / "audit.jsonl";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<AuditLog> open_log() {
    auto log = AuditLog::open({.path = path_, .clock = &clock_});
    EXPECT_TRUE(log.ok()) << log.error().message;
    return log.ok() ? std::move(log).value() : nullptr;
  }
  // A log of kEntries entries whose detail says which entry it is.
  void write_log() {
    auto log = open_log();
    ASSERT_NE(log, nullptr);
    for (int i = 1; i <= kEntries; ++i) {
      clock_.advance(1s);
      auto seq = log->append("login", "agent-" + std::to_string(i), {{"note", "entry " + std::to_string(i)}});
      ASSERT_TRUE(seq.ok()) << seq.error().message;
      EXPECT_EQ(*seq, static_cast<std::uint64_t>(i));
    }
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    const std::string text = read_file(path_).value_or("");
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
      out.push_back(text.substr(start, nl - start));
    }
    return out;
  }
  void write_lines(const std::vector<std::string>& lines) const {
    std::string text;
    for (const auto& line : lines) text += line + '\n';
    ASSERT_TRUE(write_file(path_, text));
  }
  // The verifier's complaint about the file ("" when it verifies).
  std::string complaint() const {
    auto result = verify_audit_log(path_);
    if (result.ok()) return "";
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidField);
    return result.error().message;
  }

  ManualClock clock_{Clock::TimePoint(1'700'000'000'000ms)};
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(AuditChainTest, AFreshLogOfNAppendsVerifiesWithNEntries) {
  write_log();
  auto result = verify_audit_log(path_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->entries, static_cast<std::uint64_t>(kEntries));
  EXPECT_EQ(lines().size(), static_cast<std::size_t>(kEntries));
  EXPECT_EQ(result->last_hash, Json::parse(lines().back())["hash"]);
}

TEST_F(AuditChainTest, EachLineIsCanonicalJsonHashedOverThePreviousHashAndItsContent) {
  write_log();
  std::string prev(kAuditChainStart);
  for (const auto& line : lines()) {
    Json entry = Json::parse(line);
    EXPECT_EQ(entry.dump(), line);
    EXPECT_EQ(entry["prev"], prev);
    EXPECT_EQ(entry["kind"], "login");
    const std::string hash = entry["hash"];
    entry.erase("hash");
    EXPECT_EQ(hash, sha256_hex(prev + entry.dump()));
    prev = hash;
  }
  EXPECT_EQ(Json::parse(lines().front())["time_ms"], 1'700'000'001'000);
}

TEST_F(AuditChainTest, EditingOneCharacterOfAnyLinesDetailIsDetectedAtThatLine) {
  write_log();
  const auto original = lines();
  for (int k = 1; k <= kEntries; ++k) {
    auto edited = original;
    auto& line = edited[k - 1];
    const auto at = line.find("entry " + std::to_string(k));
    ASSERT_NE(at, std::string::npos);
    line[at] = 'E';
    write_lines(edited);
    EXPECT_EQ(complaint(), "line " + std::to_string(k) + ": hash does not match its content");
  }
}

TEST_F(AuditChainTest, ChangingHowALineIsWrittenButNotWhatItSaysIsDetected) {
  write_log();
  auto edited = lines();
  edited[1].insert(1, " ");
  write_lines(edited);
  EXPECT_EQ(complaint(), "line 2: not in canonical form");
}

TEST_F(AuditChainTest, DeletingAMiddleLineIsDetected) {
  write_log();
  auto edited = lines();
  edited.erase(edited.begin() + 2);
  write_lines(edited);
  EXPECT_EQ(complaint(), "line 3: seq 4 follows 2");
}

TEST_F(AuditChainTest, SwappingTwoLinesIsDetected) {
  write_log();
  auto edited = lines();
  std::swap(edited[3], edited[4]);
  write_lines(edited);
  EXPECT_EQ(complaint(), "line 4: seq 5 follows 3");
}

TEST_F(AuditChainTest, DuplicatingALineIsDetected) {
  write_log();
  auto edited = lines();
  edited.insert(edited.begin() + 2, edited[2]);
  write_lines(edited);
  EXPECT_EQ(complaint(), "line 4: seq 3 follows 3");
}

TEST_F(AuditChainTest, ALineThatIsNotJsonIsDetected) {
  write_log();
  auto edited = lines();
  edited.insert(edited.begin() + 1, "hello");
  write_lines(edited);
  EXPECT_EQ(complaint(), "line 2: not JSON");
}

TEST_F(AuditChainTest, AnEntryRewrittenWithAFreshHashBreaksTheNextLinesPrev) {
  write_log();
  auto edited = lines();
  Json forged = Json::parse(edited[2]);
  forged["detail"]["note"] = "nothing happened";
  forged.erase("hash");
  forged["hash"] = sha256_hex(forged["prev"].get<std::string>() + forged.dump());
  edited[2] = forged.dump();
  write_lines(edited);
  EXPECT_EQ(complaint(), "line 4: prev does not match line 3");
}

TEST_F(AuditChainTest, TruncatingTheFileMidLineIsDetected) {
  write_log();
  const std::string text = read_file(path_).value();
  const auto last_start = text.rfind('\n', text.size() - 2) + 1;
  ASSERT_TRUE(write_file(path_, text.substr(0, last_start + 20)));
  EXPECT_EQ(complaint(), "line " + std::to_string(kEntries) + ": truncated (the last line does not end)");

  const auto third_start = lines()[0].size() + lines()[1].size() + 2;
  ASSERT_TRUE(write_file(path_, text.substr(0, third_start + 30)));
  EXPECT_EQ(complaint(), "line 3: truncated (the last line does not end)");
}

TEST_F(AuditChainTest, AnEmptyFileVerifiesAsZeroEntries) {
  ASSERT_TRUE(write_file(path_, ""));
  auto result = verify_audit_log(path_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->entries, 0u);
  EXPECT_EQ(result->last_hash, kAuditChainStart);
}

TEST_F(AuditChainTest, AMissingFileIsAnErrorNotAnEmptyLog) {
  auto result = verify_audit_log(path_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInternalError);
}

TEST_F(AuditChainTest, ReopeningAnIntactLogContinuesTheChain) {
  write_log();
  const auto before = verify_audit_log(path_);
  ASSERT_TRUE(before.ok());
  {
    auto log = open_log();
    ASSERT_NE(log, nullptr);
    EXPECT_EQ(log->head().entries, before->entries);
    EXPECT_EQ(log->head().last_hash, before->last_hash);
    auto seq = log->append("logout", "agent-1", Json::object());
    ASSERT_TRUE(seq.ok());
    EXPECT_EQ(*seq, static_cast<std::uint64_t>(kEntries + 1));
  }
  const Json added = Json::parse(lines().back());
  EXPECT_EQ(added["seq"], kEntries + 1);
  EXPECT_EQ(added["prev"], before->last_hash);
  auto after = verify_audit_log(path_);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->entries, static_cast<std::uint64_t>(kEntries + 1));
}

TEST_F(AuditChainTest, ATamperedLogIsNeverAppendedTo) {
  write_log();
  auto edited = lines();
  edited.erase(edited.begin() + 1);
  write_lines(edited);
  const std::string tampered = read_file(path_).value();

  auto log = AuditLog::open({.path = path_, .clock = &clock_});
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kInvalidField);
  EXPECT_NE(log.error().message.find("line 2: seq 3 follows 1"), std::string::npos) << log.error().message;
  EXPECT_EQ(read_file(path_).value(), tampered);
}

TEST_F(AuditChainTest, ASecondWriterOfTheSameFileIsRefused) {
  auto first = open_log();
  ASSERT_NE(first, nullptr);
  auto second = AuditLog::open({.path = path_, .clock = &clock_});
  EXPECT_FALSE(second.ok());
  first.reset();
  EXPECT_TRUE(AuditLog::open({.path = path_, .clock = &clock_}).ok());
}

TEST_F(AuditChainTest, BadEntriesAreRefusedAndNothingIsWritten) {
  auto log = open_log();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->append("", "alice", Json::object()).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(log->append("login", "alice", Json::array()).error().code, ErrorCode::kInvalidField);
  Json deep = Json::object();
  for (int i = 0; i < kMaxJsonDepth; ++i) deep = Json{{"d", std::move(deep)}};
  EXPECT_EQ(log->append("login", "alice", deep).error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(read_file(path_).value(), "");
  EXPECT_EQ(log->head().entries, 0u);
}

TEST_F(AuditChainTest, TextThatIsNotUtf8IsStoredReplacedAndStillVerifies) {
  {
    auto log = open_log();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->append("login", "bad\xff" "actor", {{"peer", "\xc3\x28"}}).ok());
    ASSERT_TRUE(log->append("logout", "ünïcode ✓", {{"n", 1.5}}).ok());
  }
  auto result = verify_audit_log(path_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->entries, 2u);
  EXPECT_EQ(Json::parse(lines()[0])["actor"], "bad\xef\xbf\xbd" "actor");
}

TEST_F(AuditChainTest, FourThreadsAppendingGetOneGaplessChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  auto log = open_log();
  ASSERT_NE(log, nullptr);
  std::vector<std::vector<std::uint64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto seq = log->append("task_claimed", "worker-" + std::to_string(t), {{"i", i}});
        if (seq.ok()) seqs[t].push_back(*seq);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::uint64_t> all;
  for (const auto& mine : seqs) {
    EXPECT_EQ(mine.size(), static_cast<std::size_t>(kPerThread));
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 1u);
  EXPECT_EQ(*all.rbegin(), static_cast<std::uint64_t>(kThreads * kPerThread));
  auto result = verify_audit_log(path_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->entries, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(result->last_hash, log->head().last_hash);
}

}  // namespace
}  // namespace lab::security

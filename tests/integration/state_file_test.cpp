// Stage 1-2's plaintext state file is replaced atomically: a reader (or a
// crash) at any moment sees the previous complete state or the new one,
// never a truncated mix; and a state file nested too deep is not loaded.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/file_io.h"
#include "stage1_insecure/plaintext_state_file.h"

namespace lab::stage1 {
namespace {

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "lab_state_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(StateFileTest, AReaderNeverSeesAPartlyWrittenFile) {
  const auto path = dir_ / "state.json";
  PlaintextStateFile store(path, std::chrono::milliseconds(100000));
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!done) {
      const auto text = read_file(path);
      if (!text) continue;
      ++reads;
      if (Json::parse(*text, nullptr, false).is_discarded()) ++torn;
    }
  });
  for (int i = 0; i < 60; ++i) {
    // Alternately large and small, so an in-place rewrite would be caught half done.
    const std::size_t size = (i % 2 == 0) ? 2'000'000 : 10;
    store.flush([&] { return Json{{"round", i}, {"blob", std::string(size, 'x')}}; });
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_EQ(store.load().value("round", -1), 59);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
}

TEST_F(StateFileTest, AStateFileNestedDeeperThanTheBoundIsNotLoaded) {
  const auto path = dir_ / "state.json";
  ASSERT_TRUE(write_file(path, R"({"board":)" + std::string(300'000, '[') + std::string(300'000, ']') + "}"));
  PlaintextStateFile store(path, std::chrono::milliseconds(100));
  EXPECT_TRUE(store.load().is_null());
}

}  // namespace
}  // namespace lab::stage1

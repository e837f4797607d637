// `lab bench stage3` on a tiny run: every measurement sets up and produces
// figures that are numbers above zero. The figures themselves are for the
// bench to print, not for a test to judge.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "stage3_bench.h"

namespace lab::bench {
namespace {

bool sane(const Spread& s, std::size_t rounds) {
  if (s.rounds.size() != rounds) return false;
  for (double v : s.rounds) {
    if (!std::isfinite(v) || v <= 0) return false;
  }
  return true;
}

TEST(Stage3Bench, EveryMeasurementGivesFiguresOnATinyRun) {
  Stage3Options o;
  o.rounds = 1;
  o.binary = LAB_BINARY;
  o.work_dir = std::filesystem::path(::testing::TempDir()) / "stage3_bench";
  std::filesystem::remove_all(o.work_dir);
  o.requests.connections = 2;
  o.requests.requests = 300;  // enough server CPU for /proc's 10 ms ticks to see
  o.validation.sessions = 300;
  o.validation.cpu_budget = std::chrono::milliseconds(20);
  o.ecdsa_cpu_budget = std::chrono::milliseconds(20);
  o.durable_writers = 2;
  o.durable_writes = 5;
  o.logins.clients = 1;
  o.logins.logins = 2;
  o.logins.flooders = 1;

  std::ostringstream log;
  const Stage3Figures f = measure_stage3(o, log);
  EXPECT_TRUE(f.problems.empty()) << log.str();
  EXPECT_EQ(f.failed_requests, 0u);
  int index = 0;
  for (const Spread* s : {&f.ecdsa_per_cpu_second, &f.stage3_per_server_core_second, &f.signed_over_ecdsa,
                          &f.stage1_requests_per_second, &f.stage3_requests_per_second, &f.stage3_over_stage1,
                          &f.validations_per_cpu_second, &f.store_lookups_per_cpu_second, &f.id_decodes_per_cpu_second,
                          &f.raw_commits_per_second,
                          &f.journal_acks_per_second, &f.durable_ratio, &f.login_p50_ms, &f.login_p99_ms,
                          &f.logins_per_second}) {
    EXPECT_TRUE(sane(*s, 1)) << "figure " << index << " is missing or not above zero\n" << log.str();
    ++index;
  }
  EXPECT_EQ(f.sessions, 300);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // A sanitizer's allocator keeps no mallinfo2 counts: bytes per session are not measurable in such a build.
#else
  EXPECT_GT(f.bytes_per_session, 0);
#endif
  EXPECT_EQ(f.failed_logins, 0);

  std::ostringstream report;
  print_stage3(f, o, report);
  EXPECT_NE(report.str().find("(goal >= 0.6)"), std::string::npos) << report.str();
  // The bounds the goals are read against are printed beside them.
  EXPECT_NE(report.str().find("ceiling on this machine with one ECDSA P-256 verification"), std::string::npos);
  EXPECT_NE(report.str().find("the id's share alone"), std::string::npos);
  EXPECT_EQ(report.str().find("not measured"), std::string::npos) << report.str();
  std::filesystem::remove_all(o.work_dir);
}

}  // namespace
}  // namespace lab::bench

// Reading wrk's report: the figures lab bench stage5 takes from it.
#include <gtest/gtest.h>

#include "wrk_run.h"

namespace lab::bench {
namespace {

constexpr const char* kReport = R"(Running 3s test @ https://127.0.0.1:7105/static/app.css
  2 threads and 256 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.01ms    2.10ms  40.17ms   80.00%
    Req/Sec    31.52k     2.01k   35.00k    70.00%
  Latency Distribution
     50%    3.71ms
     75%    4.80ms
     90%    6.12ms
     99%   11.50ms
  188170 requests in 3.00s, 101.28MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:  62700.41
Transfer/sec:     33.75MB
)";

TEST(WrkReportTest, ReadsRateTailLatencyAndFailures) {
  auto run = parse_wrk_report(kReport);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_DOUBLE_EQ(run->requests_per_second, 62700.41);
  EXPECT_DOUBLE_EQ(run->p99_ms, 11.5);
  EXPECT_EQ(run->non_2xx, 12);
  EXPECT_EQ(run->socket_errors, 3);
}

TEST(WrkReportTest, ConvertsMicrosecondsAndSeconds) {
  EXPECT_DOUBLE_EQ(parse_wrk_report("     99%  812.00us\nRequests/sec: 1.0\n")->p99_ms, 0.812);
  EXPECT_DOUBLE_EQ(parse_wrk_report("     99%    1.50s\nRequests/sec: 1.0\n")->p99_ms, 1500);
}

TEST(WrkReportTest, AReportWithoutItsFiguresIsAnError) {
  EXPECT_FALSE(parse_wrk_report("unable to connect to 127.0.0.1:1 Connection refused\n"));
  EXPECT_FALSE(run_wrk("https://example.com/", 1, 1, std::chrono::seconds(1), {})) << "loopback only";
}

}  // namespace
}  // namespace lab::bench

#include "wrk_run.h"

#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lab::bench {
namespace {

// "1.51ms" / "812.00us" / "1.02s" -> milliseconds
double to_ms(const std::string& text) {
  std::size_t used = 0;
  const double v = std::stod(text, &used);
  const std::string unit = text.substr(used);
  if (unit == "us") return v / 1000;
  if (unit == "s") return v * 1000;
  if (unit == "m") return v * 60'000;
  return v;  // ms
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace

Result<WrkRun> parse_wrk_report(const std::string& report) {
  WrkRun run;
  bool have_rate = false, have_p99 = false;
  std::istringstream in(report);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    try {
      if (first == "Requests/sec:") {
        std::string v;
        words >> v;
        run.requests_per_second = std::stod(v);
        have_rate = true;
      } else if (first == "99%") {
        std::string v;
        words >> v;
        run.p99_ms = to_ms(v);
        have_p99 = true;
      } else if (first == "Non-2xx") {
        // "Non-2xx or 3xx responses: 12"
        const auto colon = line.find(':');
        run.non_2xx = std::stoll(line.substr(colon + 1));
      } else if (first == "Socket") {
        // "Socket errors: connect 0, read 0, write 0, timeout 3"
        for (std::string word; words >> word;) {
          if (!word.empty() && std::isdigit(static_cast<unsigned char>(word.front()))) run.socket_errors += std::stoll(word);
        }
      }
    } catch (const std::exception&) {
      return Error{ErrorCode::kInvalidField, "unreadable wrk line: " + line};
    }
  }
  if (!have_rate || !have_p99) return Error{ErrorCode::kInvalidField, "wrk's report lacks Requests/sec or 99%"};
  return run;
}

Result<WrkRun> run_wrk(const std::string& url, int threads, int connections, std::chrono::seconds duration,
                       const std::vector<std::pair<std::string, std::string>>& headers, double paced_per_second) {
  if (url.rfind("https://127.", 0) != 0 && url.rfind("http://127.", 0) != 0) {
    return Error{ErrorCode::kInvalidField, "wrk runs against loopback addresses only"};
  }
  std::string command = "wrk -t" + std::to_string(threads) + " -c" + std::to_string(connections) + " -d" +
                        std::to_string(duration.count()) + "s --timeout 5s --latency";
  for (const auto& [name, value] : headers) command += " -H " + quoted(name + ": " + value);
  std::filesystem::path pacing;
  if (paced_per_second > 0) {
    const long long delay_ms = std::max(1LL, std::llround(connections * 1000.0 / paced_per_second));
    pacing = std::filesystem::temp_directory_path() / ("lab-wrk-pace-" + std::to_string(::getpid()) + ".lua");
    std::ofstream(pacing) << "function delay()\n  return " << delay_ms << "\nend\n";
    command += " -s " + quoted(pacing.string());
  }
  command += " " + quoted(url) + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    if (!pacing.empty()) std::filesystem::remove(pacing);
    return Error{ErrorCode::kInternalError, "cannot run wrk (is the wrk package installed?)"};
  }
  std::string report;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) report.append(buffer, n);
  const int status = ::pclose(pipe);
  if (!pacing.empty()) std::filesystem::remove(pacing);
  if (status != 0) return Error{ErrorCode::kInternalError, "wrk failed: " + report.substr(0, 300)};
  return parse_wrk_report(report);
}

}  // namespace lab::bench

// The interactive client at a real terminal (a pseudo-terminal): the Up arrow
// brings back the previous answer (line editing and history), and a password
// typed at the prompt is never shown.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "client/client_profile.h"
#include "integration/test_server.h"
#include "integration/stage2_test_server.h"

namespace lab::test {
namespace {

// One answer, typed once the client has printed `after` (its prompt) since the previous answer: typing ahead would
// let the terminal echo keys before the client could turn the echo off.
struct Answer {
  std::string after;
  std::string keys;
};

// `lab client --stage N --port P` on a pseudo-terminal, answered one prompt at a time; everything it printed.
std::string at_a_terminal(int stage, std::uint16_t port, const std::vector<Answer>& answers) {
  int terminal = -1;
  const pid_t child = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (child == 0) {
    const std::string stage_text = std::to_string(stage), port_text = std::to_string(port);
    ::execl(LAB_BINARY, "lab", "client", "--stage", stage_text.c_str(), "--port", port_text.c_str(), nullptr);
    ::_exit(127);
  }
  std::string seen;
  std::size_t answered_at = 0;  // what was printed before the last answer
  // Reads until `text` appears after answered_at (or the time is up, or the client ended); true when it did.
  const auto wait_for = [&](const std::string& text, std::chrono::milliseconds patience) {
    const auto until = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < until) {
      if (!text.empty() && seen.find(text, answered_at) != std::string::npos) return true;
      pollfd p{terminal, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(terminal, buf, sizeof buf);
      if (n <= 0) return false;
      seen.append(buf, static_cast<std::size_t>(n));
    }
    return false;
  };
  for (const auto& a : answers) {
    EXPECT_TRUE(wait_for(a.after, std::chrono::seconds(15))) << "no '" << a.after << "' after:\n" << seen;
    answered_at = seen.size();
    EXPECT_EQ(::write(terminal, a.keys.data(), a.keys.size()), static_cast<ssize_t>(a.keys.size()));
  }
  EXPECT_TRUE(wait_for("Bye.", std::chrono::seconds(15))) << seen;
  // A client still waiting for input after that is stopped: a test never hangs on it.
  int status = 0;
  for (int i = 0; i < 50 && ::waitpid(child, &status, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (i == 20) ::kill(child, SIGTERM);
    if (i == 40) ::kill(child, SIGKILL);
  }
  ::waitpid(child, &status, WNOHANG);
  ::close(terminal);
  return seen;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ClientAtATerminal, TheUpArrowRepeatsTheLastAnswer) {
  Stage1TestServer server;
  ASSERT_TRUE(server.start_status().ok());
  // Log in with the defaults, list the projects, then Up + Enter: the same "4" again.
  const std::string seen = at_a_terminal(1, server.port(),
                                         {{"Agent id", "\n"},
                                          {"Role", "\n"},
                                          {"Choose an option", "4\n"},
                                          {"Choose an option", "\x1b[A\n"},
                                          {"Choose an option", "0\n"}});
  EXPECT_EQ(count(seen, "No projects yet."), 2u) << seen;
  EXPECT_NE(seen.find("Bye."), std::string::npos) << seen;
}

TEST(ClientAtATerminal, APasswordIsNotShown) {
  Stage2TestServer server;
  ASSERT_TRUE(server.start_status().ok());
  const std::string password = client::lab_password("alice");
  const std::string seen = at_a_terminal(
      2, server.port(),
      {{"Choose an option", "1\n"}, {"Agent id", "alice\n"}, {"Password", password + "\n"}, {"Choose an option", "0\n"}});
  EXPECT_NE(seen.find("Logged in: session"), std::string::npos) << seen;
  EXPECT_EQ(seen.find(password), std::string::npos) << "the password was echoed:\n" << seen;
}

}  // namespace
}  // namespace lab::test

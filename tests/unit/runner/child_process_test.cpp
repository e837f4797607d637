// Child processes of the lab (stage servers, Redis, HAProxy, the victim's browser): what a child gets of its
// parent's files is its standard input (/dev/null), output and error (the log), nothing else. A child that holds a
// copy of a parent's socket keeps it open after the parent closes it, so the peer never sees the close.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/temporary_directory.h"
#include "runner/process.h"

namespace lab::runner {
namespace {

// The descriptors the child's shell has open, as `ls /proc/$$/fd` printed them (the listing's own is among them).
std::set<int> descriptors_of_a_child(const std::filesystem::path& log) {
  ChildProcess child = ChildProcess::spawn("/bin/sh", {"-c", "ls /proc/$$/fd"}, log);
  for (int i = 0; i < 500 && child.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(child.terminate(), 0);
  std::set<int> fds;
  std::istringstream listed(read_file(log).value_or(""));
  for (int fd = 0; listed >> fd;) fds.insert(fd);
  return fds;
}

TEST(ChildProcess, InheritsNoFileOfItsParentButItsStandardStreams) {
  auto dir = TemporaryDirectory::create("lab_child_fds_");
  ASSERT_TRUE(dir) << dir.error().message;
  // Descriptors a parent may hold without close-on-exec: a socket (as a server's accepted connection) and a file.
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int file_fd = ::open((dir->path() / "kept").c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(socket_fd, 3);
  ASSERT_GE(file_fd, 3);
  const auto fds = descriptors_of_a_child(dir->path() / "child.log");
  ::close(socket_fd);
  ::close(file_fd);
  EXPECT_FALSE(fds.contains(socket_fd)) << "the child holds the parent's socket";
  EXPECT_FALSE(fds.contains(file_fd)) << "the child holds the parent's file";
  EXPECT_TRUE(fds.contains(0) && fds.contains(1) && fds.contains(2));
  EXPECT_LE(fds.size(), 4u);  // 0, 1, 2 and the directory `ls` reads
}

}  // namespace
}  // namespace lab::runner

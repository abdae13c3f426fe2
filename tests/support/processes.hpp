#pragma once
/// Helpers for tests that run the real binaries: run a command and capture its output and exit
/// status, and check whether a process is gone.

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace splitbench::testing {

inline std::string bin(std::string const& name) { return std::string(SPLITBENCH_BIN_DIR) + "/" + name; }

struct run_result {
  int status = -1;
  std::string output;  // stdout and stderr together
};

/// A command running in the background, its output read as the test asks.
class background {
 public:
  explicit background(std::vector<std::string> argv) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      // A test that crashes still stops what it started: the command is told to stop with it.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(out[1], 1);
      ::dup2(out[1], 2);
      ::close(out[0]);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
  }
  ~background() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  background(background const&) = delete;
  background& operator=(background const&) = delete;

  pid_t pid() const { return pid_; }
  std::string const& printed() const { return printed_; }

  /// Reads its output until `marker` appears; false if the output ends first.
  bool read_until(std::string const& marker) {
    char buf[512];
    while (printed_.find(marker) == std::string::npos) {
      auto n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return false;
      printed_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads the rest of its output, waits for it and returns its exit status.
  int wait() {
    char buf[512];
    for (ssize_t n; (n = ::read(out_, buf, sizeof buf)) > 0;) printed_.append(buf, static_cast<std::size_t>(n));
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string printed_;
};

/// Runs argv to completion; its output is captured.
inline run_result run(std::vector<std::string> argv) {
  background b(std::move(argv));
  int status = b.wait();
  return {status, b.printed()};
}

/// True when no process `pid` runs (gone, or a zombie nobody has reaped yet).
inline bool gone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto p = line.rfind(')');
  return p != std::string::npos && p + 2 < line.size() && line[p + 2] == 'Z';
}

}  // namespace splitbench::testing

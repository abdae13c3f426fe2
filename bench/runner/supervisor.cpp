#include "bench/runner/supervisor.hpp"

#include "os/netns.hpp"

#include "cli/options.hpp"
#include "net/client.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include <sched.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace splitbench::bench {

std::string tail_of(std::string const& path, std::size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(std::move(line));
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (auto& l : last) out += "  | " + l + "\n";
  return out;
}

std::string executable_dir() {
  char buf[4096];
  auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

namespace {

/// A child's PR_SET_PDEATHSIG follows the thread that forked it, not the process: a process
/// started from a thread that then ends would be killed with it. Spawns from any thread other
/// than the main one run here, on a thread that lasts as long as the process.
class lasting_thread {
 public:
  template <class F>
  auto run(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      tasks_.emplace_back([&task] { task(); });
    }
    wake_.notify_one();
    return result.get();
  }

  static lasting_thread& instance() {
    static auto* one = new lasting_thread;  // never destroyed: it ends with the process
    return *one;
  }

 private:
  lasting_thread() {
    std::thread([this] {
      for (;;) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return !tasks_.empty(); });
        auto next = std::move(tasks_.front());
        tasks_.pop_front();
        lock.unlock();
        next();
      }
    }).detach();
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
};

child_process spawn_here(std::string name, std::string const& program, std::vector<std::string> args, std::string log_path,
                         std::chrono::milliseconds timeout, bool append, std::string const& netns);

}  // namespace

child_process spawn_server(std::string name, std::string const& program, std::vector<std::string> args,
                           std::string log_path, std::chrono::milliseconds timeout, bool append, std::string const& netns) {
  if (::gettid() == ::getpid()) return spawn_here(std::move(name), program, std::move(args), std::move(log_path), timeout, append, netns);
  return lasting_thread::instance().run(
      [&] { return spawn_here(std::move(name), program, std::move(args), std::move(log_path), timeout, append, netns); });
}

namespace {

child_process spawn_here(std::string name, std::string const& program, std::vector<std::string> args, std::string log_path,
                         std::chrono::milliseconds timeout, bool append, std::string const& netns) {
  child_process p{std::move(name), -1, {}, std::move(log_path), 0, netns};
  if (::access(program.c_str(), X_OK) != 0)
    throw std::runtime_error(fmt::format("cannot start {}: {} is missing or not executable", p.name, program));
  args.insert(args.begin(), program);
  args.push_back("--ready-fd");
  args.push_back("3");
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int log = ::open(p.log_path.c_str(), O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", p.log_path, std::strerror(errno)));
  int namespace_fd = -1;
  if (!netns.empty()) {
    try {
      namespace_fd = os::open_namespace(netns);
    } catch (os::netns_error const& e) {
      ::close(log);
      throw std::runtime_error(fmt::format("cannot start {}: {}", p.name, e.what()));
    }
  }
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) {
    ::close(log);
    if (namespace_fd >= 0) ::close(namespace_fd);
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    if (namespace_fd >= 0 && ::setns(namespace_fd, CLONE_NEWNET) != 0) ::_exit(126);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::dup2(ready[1], 3);  // dup2 clears close-on-exec on the copy
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log);
  ::close(ready[1]);
  if (namespace_fd >= 0) ::close(namespace_fd);
  if (pid < 0) {
    ::close(ready[0]);
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  }
  p.pid = pid;
  ::setpgid(pid, pid);  // also here, so the group exists whichever runs first

  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd fd{ready[0], POLLIN, 0};
    int r = left.count() > 0 ? ::poll(&fd, 1, static_cast<int>(left.count())) : 0;
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    char buf[128];
    auto n = ::read(ready[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  ::close(ready[0]);
  if (auto nl = line.find('\n'); nl != std::string::npos) {
    p.address = line.substr(0, nl);
    return p;
  }
  stop_process(p, std::chrono::milliseconds(500));
  throw std::runtime_error(fmt::format("{} did not start (log {}):\n{}", p.name, p.log_path, tail_of(p.log_path)));
}

}  // namespace

std::optional<std::string> exit_status(child_process& p) {
  if (p.pid <= 0) return "not running";
  int status = 0;
  pid_t r = ::waitpid(p.pid, &status, WNOHANG);
  if (r == 0) return std::nullopt;
  p.pid = -1;
  if (r < 0) return "gone";
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

void stop_process(child_process& p, std::chrono::milliseconds grace) {
  if (p.pid <= 0) return;
  ::kill(-p.pid, SIGTERM);
  ::kill(p.pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (exit_status(p)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (p.pid > 0) {
    ::kill(-p.pid, SIGKILL);
    ::kill(p.pid, SIGKILL);
    ::waitpid(p.pid, nullptr, 0);
    p.pid = -1;
  }
}

std::chrono::milliseconds restart_backoff(int restarts) noexcept {
  return std::min<std::chrono::milliseconds>(std::chrono::milliseconds(100) * (1 << std::min(restarts, 5)), std::chrono::seconds(2));
}

namespace {

/// One request to the process at `address`, on a client of its own; blocks until it is answered or fails.
result<net::reply> ask(std::string const& address, net::method m, std::string target, std::string body, std::chrono::milliseconds timeout) {
  auto hp = cli::parse_host_port(address);
  boost::asio::io_context context;
  net::client_options options;
  options.timeout = timeout;
  net::http_client client(context, "splitbench", hp.host, hp.port, options);
  result<net::reply> answer = error{errc::unavailable, "no answer"};
  client.send(m, std::move(target), std::move(body), [&answer](result<net::reply> r) { answer = std::move(r); });
  context.run();
  return answer;
}

}  // namespace

std::optional<std::string> switch_fault(std::string const& address, std::string const& service, std::string const& action) {
  auto r = ask(address, action.empty() ? net::method::del : net::method::put, "/admin/faults/" + service, action, std::chrono::milliseconds(2'000));
  if (!r) return r.error().message;
  if (r->status != 204) return fmt::format("{} {}", r->status, r->body);
  return std::nullopt;
}

std::optional<std::string> metrics_of(std::string const& address) {
  auto r = ask(address, net::method::get, "/metrics", {}, std::chrono::milliseconds(2'000));
  if (!r || r->status != 200) return std::nullopt;
  return std::move(r->body);
}

std::optional<std::uint64_t> requests_served(std::string const& address) {
  auto body = metrics_of(address);
  if (!body) return std::nullopt;
  constexpr std::string_view name = "\nsplitbench_http_requests_total ";
  auto at = body->find(name);
  if (at == std::string::npos) return std::nullopt;
  return std::strtoull(body->c_str() + at + name.size(), nullptr, 10);
}

bool wait_healthy(std::string const& address, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = ask(address, net::method::get, "/health", {}, std::chrono::milliseconds(500));
    if (r && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace splitbench::bench

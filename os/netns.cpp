#include "os/netns.hpp"

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace splitbench::os {
namespace {

constexpr char const* ip_binary = "/usr/sbin/ip";
constexpr char const* tc_binary = "/usr/sbin/tc";

/// Runs `program args...`, its output captured; the exit status and the output.
std::pair<int, std::string> run(char const* program, std::vector<std::string> args) {
  args.insert(args.begin(), program);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return {-1, std::strerror(errno)};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  pid_t pid = -1;
  int e = ::posix_spawn(&pid, program, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string text;
  if (e == 0) {
    char buf[512];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  if (e != 0) return {-1, fmt::format("cannot run {}: {}", program, std::strerror(e))};
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), text};
}

/// `ip args...`; throws netns_error with the command and what it said when it fails.
void ip(std::vector<std::string> args) {
  auto [status, out] = run(ip_binary, args);
  if (status == 0) return;
  std::string command = "ip";
  for (auto const& a : args) command += " " + a;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  throw netns_error(fmt::format("{} failed: {}", command, out));
}

void kill_inside(std::string const& ns) {
  auto [status, out] = run(ip_binary, {"netns", "pids", ns});
  if (status != 0) return;
  for (std::size_t at = 0; at < out.size();) {
    auto end = out.find('\n', at);
    auto pid = std::atoi(out.substr(at, end - at).c_str());
    if (pid > 0) ::kill(pid, SIGKILL);
    at = end == std::string::npos ? out.size() : end + 1;
  }
}

void remove_namespace(std::string const& ns) {
  kill_inside(ns);
  run(ip_binary, {"netns", "delete", ns});
}

}  // namespace

int network::remove_leftovers() {
  int removed = 0;
  DIR* d = ::opendir("/run/netns");
  if (!d) return 0;
  std::vector<std::string> names;
  while (auto* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  for (auto const& name : names) {
    if (!name.starts_with("sb-")) continue;
    auto owner = std::atoi(name.c_str() + 3);
    if (owner <= 0 || ::kill(owner, 0) == 0 || errno != ESRCH) continue;
    remove_namespace(name);
    ++removed;
  }
  return removed;
}

network::network() : prefix_(fmt::format("sb-{}-", ::getpid())), bridge_(prefix_ + "br") {
  if (::geteuid() != 0) throw netns_error("network namespaces need root (run splitbench as root, or without --network netns)");
  if (::access(ip_binary, X_OK) != 0) throw netns_error(fmt::format("network namespaces need iproute2's {} (apt-get install iproute2)", ip_binary));
  remove_leftovers();
  ip({"netns", "add", bridge_});
  made_.push_back(bridge_);
  try {
    ip({"-n", bridge_, "link", "add", "br0", "type", "bridge"});
    ip({"-n", bridge_, "link", "set", "br0", "up"});
  } catch (...) {
    for (auto const& ns : made_) remove_namespace(ns);
    throw;
  }
}

network::~network() {
  for (auto it = made_.rbegin(); it != made_.rend(); ++it) remove_namespace(*it);
}

network::host const& network::add_host(std::string const& label) {
  if (hosts_.size() >= 252) throw netns_error("at most 252 hosts fit in 198.18.0.0/24");
  auto n = hosts_.size() + 2;
  // A label given again (a deployment started anew, as the scaling phase does) gets a number.
  auto taken = [&](std::string const& ns) { return std::any_of(hosts_.begin(), hosts_.end(), [&](host const& h) { return h.ns == ns; }); };
  auto ns = prefix_ + label;
  for (int k = 2; taken(ns); ++k) ns = fmt::format("{}{}.{}", prefix_, label, k);
  host h{label, ns, fmt::format("198.18.0.{}", n)};
  ip({"netns", "add", h.ns});
  made_.push_back(h.ns);
  auto peer = fmt::format("v{}", n);  // the bridge's end; the host's end is its eth0
  ip({"-n", h.ns, "link", "add", "eth0", "type", "veth", "peer", "name", peer, "netns", bridge_});
  ip({"-n", h.ns, "addr", "add", h.address + "/24", "dev", "eth0"});
  ip({"-n", h.ns, "link", "set", "eth0", "up"});
  ip({"-n", h.ns, "link", "set", "lo", "up"});
  ip({"-n", bridge_, "link", "set", peer, "master", "br0"});
  ip({"-n", bridge_, "link", "set", peer, "up"});
  hosts_.push_back(std::move(h));
  return hosts_.back();
}

std::optional<std::string> network::limit_bandwidth(std::string const& rate) {
  if (::access(tc_binary, X_OK) != 0) return fmt::format("no {} here (iproute2)", tc_binary);
  // Each host's egress, and the bridge's egress towards it: both directions of every link.
  std::vector<std::pair<std::string, std::string>> links;
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    links.emplace_back(hosts_[i].ns, "eth0");
    links.emplace_back(bridge_, fmt::format("v{}", i + 2));
  }
  for (auto const& [ns, dev] : links) {
    auto [status, out] = run(tc_binary, {"-n", ns, "qdisc", "replace", "dev", dev, "root", "tbf", "rate", rate, "burst", "64kb", "latency", "50ms"});
    if (status != 0) {
      for (auto const& [ns2, dev2] : links) run(tc_binary, {"-n", ns2, "qdisc", "del", "dev", dev2, "root"});
      while (!out.empty() && out.back() == '\n') out.pop_back();
      return fmt::format("tc qdisc tbf rate {} failed: {}", rate, out);
    }
  }
  return std::nullopt;
}

bool is_rate(std::string_view text) noexcept {
  auto digits = text.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return false;
  auto unit = text.substr(digits);
  for (std::string_view u : {"kbit", "mbit", "gbit", "kbps", "mbps", "gbps"})
    if (unit == u) return true;
  return false;
}

int open_namespace(std::string const& ns) {
  auto path = "/run/netns/" + ns;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw netns_error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  return fd;
}

inside_namespace::inside_namespace(std::string const& ns) {
  original_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_ < 0) throw netns_error(fmt::format("cannot open this thread's network namespace: {}", std::strerror(errno)));
  int fd = -1;
  try {
    fd = open_namespace(ns);
  } catch (...) {
    ::close(original_);
    throw;
  }
  int r = ::setns(fd, CLONE_NEWNET);
  int e = errno;
  ::close(fd);
  if (r != 0) {
    ::close(original_);
    throw netns_error(fmt::format("cannot enter {}: {}", ns, std::strerror(e)));
  }
}

inside_namespace::~inside_namespace() {
  // Back where it was, or the thread would go on in a namespace about to be deleted.
  if (::setns(original_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "cannot return to the original network namespace: %s\n", std::strerror(errno));
    std::abort();
  }
  ::close(original_);
}

}  // namespace splitbench::os

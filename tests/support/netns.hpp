#pragma once
/// Hosts for a test on one machine: network namespaces joined by veth pairs to a bridge, each with
/// its own address from 198.18.0.0/24 (RFC 2544's range for benchmarking), so that traffic between
/// them crosses separate TCP stacks as between machines. The bridge lives in a namespace of its
/// own: nothing is added to the machine's own network. Every namespace is named
/// `sbt-<pid of the test>-<name>`; whatever a test that died left behind is removed by the next
/// one (`remove_leftovers`), and a test's own by its destructor. Needs root.

#include "processes.hpp"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace splitbench::testing {

/// Runs `ip ARGS`; throws with the command and its output when it fails.
inline void ip(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/sbin/ip");
  auto r = run(args);
  if (r.status != 0) {
    std::string command;
    for (auto const& a : args) command += a + " ";
    throw std::runtime_error(command + "failed: " + r.output);
  }
}

class hosts {
 public:
  /// Namespaces named `names`, with addresses 198.18.0.2, .3, ... in that order.
  explicit hosts(std::vector<std::string> const& names) : prefix_("sbt-" + std::to_string(::getpid()) + "-") {
    remove_leftovers();
    try {
      add(prefix_ + "br");
      ip({"-n", prefix_ + "br", "link", "add", "br0", "type", "bridge"});
      ip({"-n", prefix_ + "br", "link", "set", "br0", "up"});
      int n = 2;
      for (auto const& name : names) {
        auto ns = prefix_ + name;
        add(ns);
        auto peer = "v" + std::to_string(n);  // the bridge's end; the host's end is eth0
        ip({"-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", peer, "netns", prefix_ + "br"});
        ip({"-n", ns, "addr", "add", "198.18.0." + std::to_string(n) + "/24", "dev", "eth0"});
        ip({"-n", ns, "link", "set", "eth0", "up"});
        ip({"-n", ns, "link", "set", "lo", "up"});
        ip({"-n", prefix_ + "br", "link", "set", peer, "master", "br0"});
        ip({"-n", prefix_ + "br", "link", "set", peer, "up"});
        addresses_.push_back("198.18.0." + std::to_string(n));
        names_.push_back(name);
        ++n;
      }
    } catch (...) {
      remove();
      throw;
    }
  }
  ~hosts() { remove(); }
  hosts(hosts const&) = delete;
  hosts& operator=(hosts const&) = delete;

  /// The address of host `name`.
  std::string address(std::string const& name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return addresses_[i];
    throw std::logic_error("no host " + name);
  }

  /// argv run inside host `name`.
  std::vector<std::string> inside(std::string const& name, std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"/usr/sbin/ip", "netns", "exec", prefix_ + name});
    return argv;
  }

  /// The namespaces of this process's hosts that exist now.
  std::vector<std::string> existing() const { return namespaces_with(prefix_); }

  /// Namespaces `sbt-<pid>-*` whose test process is gone: left by a test that was killed.
  static void remove_leftovers() {
    for (auto const& ns : namespaces_with("sbt-")) {
      auto pid = std::atoi(ns.c_str() + 4);
      if (pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH)) continue;
      kill_inside(ns);
      run({"/usr/sbin/ip", "netns", "delete", ns});
    }
  }

 private:
  void add(std::string const& ns) {
    ip({"netns", "add", ns});
    made_.push_back(ns);
  }

  /// Every process still inside, then the namespaces (their veth ends and the bridge go with them).
  void remove() {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) {
      kill_inside(*it);
      run({"/usr/sbin/ip", "netns", "delete", *it});
    }
    made_.clear();
  }

  static void kill_inside(std::string const& ns) {
    auto r = run({"/usr/sbin/ip", "netns", "pids", ns});
    for (std::size_t at = 0; at < r.output.size();) {
      auto end = r.output.find('\n', at);
      auto pid = std::atoi(r.output.substr(at, end - at).c_str());
      if (pid > 0) ::kill(pid, SIGKILL);
      at = end == std::string::npos ? r.output.size() : end + 1;
    }
  }

  static std::vector<std::string> namespaces_with(std::string const& prefix) {
    std::vector<std::string> out;
    if (DIR* d = ::opendir("/run/netns")) {
      while (auto* e = ::readdir(d))
        if (std::string(e->d_name).starts_with(prefix)) out.emplace_back(e->d_name);
      ::closedir(d);
    }
    return out;
  }

  std::string prefix_;
  std::vector<std::string> made_, names_, addresses_;
};

}  // namespace splitbench::testing

#pragma once
/// Hosts on one machine: network namespaces, each with an address of its own from 198.18.0.0/24
/// (RFC 2544's range for benchmarking) on a veth pair to a bridge, so that every hop between two
/// of them crosses a separate TCP stack and a link, as between machines, with none of loopback's
/// shortcuts. The bridge lives in a namespace of its own: nothing is added to the machine's own
/// network.
///
///   os::network net;                          // sb-<pid>-br, with bridge br0
///   auto const& h = net.add_host("catalog");  // sb-<pid>-catalog, 198.18.0.2 on its eth0
///   spawn a process with setns(os::open_namespace(h.ns), CLONE_NEWNET) before exec
///
/// Namespaces are named `sb-<owner pid>-<label>`; the destructor kills what still runs inside
/// them and deletes them, and those an owner left behind (killed before its destructor ran) are
/// deleted when the next network is made. Needs root and iproute2's `ip`.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::os {

/// Namespaces cannot be made here: the message says what was tried and why it failed.
struct netns_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class network {
 public:
  /// One host: its namespace's name and its address.
  struct host {
    std::string label, ns, address;
  };

  /// Removes leftovers, then makes the bridge. Throws netns_error without root or `ip`.
  network();
  /// Kills every process left inside its namespaces and deletes them.
  ~network();
  network(network const&) = delete;
  network& operator=(network const&) = delete;

  /// A new host labelled `label` (a DNS-1123-like word: its namespace is sb-<pid>-<label>), with
  /// the next address, 198.18.0.2 for the first. At most 252 hosts. Throws netns_error.
  host const& add_host(std::string const& label);

  std::vector<host> const& hosts() const noexcept { return hosts_; }

  /// Limits every host's link, both ways, to `rate` (tc's form: 1gbit, 100mbit) with a token bucket
  /// (tbf). Nothing on success; otherwise why the qdisc could not be set (no `tc`, no sch_tbf in
  /// this kernel), and no host is limited.
  std::optional<std::string> limit_bandwidth(std::string const& rate);

  /// Namespaces sb-<pid>-* whose owner is gone: deleted, with whatever still runs in them.
  /// Returns how many.
  static int remove_leftovers();

 private:
  std::string prefix_;  ///< sb-<pid>-
  std::string bridge_;  ///< the bridge's namespace
  std::vector<std::string> made_;
  std::vector<host> hosts_;
};

/// Whether `text` is a rate as tc writes one: digits and a unit, kbit, mbit, gbit, kbps, mbps or
/// gbps (100mbit, 1gbit).
bool is_rate(std::string_view text) noexcept;

/// An open file descriptor of namespace `ns` (close-on-exec), for setns(fd, CLONE_NEWNET).
/// Throws netns_error.
int open_namespace(std::string const& ns);

/// While it lives, the calling thread is in namespace `ns`, and the threads it starts meanwhile
/// are too; it goes back where it was after. Throws netns_error.
class inside_namespace {
 public:
  explicit inside_namespace(std::string const& ns);
  ~inside_namespace();
  inside_namespace(inside_namespace const&) = delete;
  inside_namespace& operator=(inside_namespace const&) = delete;

 private:
  int original_ = -1;
};

}  // namespace splitbench::os

#pragma once
/// A whole deployment, started and health-checked: a topology's processes (host/topology.hpp),
/// the monolith's one, the split's five (gateway, catalog, inventory, pricing, orders) or a
/// process per group of services, each on an OS-chosen port.

#include "bench/runner/supervisor.hpp"
#include "host/topology.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::os {
class cpu_limit;
class network;
}

namespace splitbench::bench {

using host::topology;

/// "monolith", "split", "serialized" or the topology's groups.
std::string const& name_of(topology const& t) noexcept;

/// A deployment's or a process's name as a control group's or a host's label: '+' as '-' and
/// ',' as '_' ("pricing+orders" -> "pricing-orders").
std::string label_of(std::string name);

/// The processes of a deployment, in the order they start: the front door last.
std::vector<std::string> process_names(topology const& t);

/// Each of `texts` as a topology. Throws cli::usage_error, one line naming what is wrong; a
/// topology given twice is one too.
std::vector<topology> parse_topologies(std::vector<std::string> const& texts);

/// A CPU budget for one process, as Kubernetes' limits.cpu: `pricing=0.5` holds pricing to half
/// a core through a cgroup of its own (os/cgroup.hpp).
struct cpu_limit_spec {
  std::string process;  ///< gateway, catalog, inventory, pricing, orders, monolith or a group (pricing+orders)
  double cores = 0;
  std::chrono::microseconds period{100'000};  ///< the CFS period: Kubernetes' 100 ms unless a measurement needs shorter stalls
};

/// "SERVICE=CORES". Throws cli::usage_error, one line naming what is wrong.
cpu_limit_spec parse_cpu_limit(std::string_view text);
/// Each of `texts`; a process limited twice, or one no deployment of `kinds` has, is a
/// usage_error too.
std::vector<cpu_limit_spec> parse_cpu_limits(std::vector<std::string> const& texts, std::vector<topology> const& topologies);

/// Checks that CPU limits can be set here, by making and removing a limited group, before
/// anything starts; returns where they go ("cgroup v1 at /sys/fs/cgroup/cpu"). Throws
/// std::runtime_error saying what was tried and why it failed.
std::string check_cpu_limits();

/// Replicas of one process: `catalog=3` runs three catalog processes, each on a port of its own,
/// its callers balancing over them; `gateway=2` or `monolith=2` run processes that share the
/// front door's port (SO_REUSEPORT), the kernel spreading connections over them.
struct replica_spec {
  std::string process;
  int count = 1;
};

/// "SERVICE=N". Throws cli::usage_error, one line naming what is wrong.
replica_spec parse_replica(std::string_view text);
/// Each of `texts`; as parse_cpu_limits, a process named twice or one no deployment of `kinds`
/// has is a usage_error.
std::vector<replica_spec> parse_replicas(std::vector<std::string> const& texts, std::vector<topology> const& topologies);

struct deployment_options {
  topology kind = topology::monolith();
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;          ///< of the front door; 0: the OS picks
  int threads = 1;                 ///< threads of each process
  std::uint64_t seed = 42;
  std::string bin_dir;             ///< where splitbench-monolith and splitbench-service are
  std::string log_dir;             ///< one log file per process
  std::vector<std::string> extra_args;  ///< passed to every process (e.g. --inject-latency X=D)
  std::vector<std::string> split_args;   ///< passed to every process that calls peers over HTTP (peer timeout, retries, breaker)
  std::vector<cpu_limit_spec> cpu_limits;  ///< each process named runs in a limited group of its own, restarted or not; each replica in its own
  std::vector<replica_spec> replicas;      ///< processes run more than once
  std::string balance = "p2c";             ///< how the split's callers pick a replica: rr or p2c
  /// When set, each process runs on a host of its own in it (os/netns.hpp), listening on that
  /// host's address; replicas that share the front door's port share its host. `host` and `port`
  /// then say only the front door's port.
  os::network* network = nullptr;
  std::chrono::milliseconds start_timeout{10'000};
};

class deployment {
 public:
  /// Starts every process and waits until each answers /health. A group called by one that
  /// starts before it (pricing+orders calling catalog in the gateway's group) gets its port
  /// before it starts. Throws std::runtime_error naming
  /// the process that failed, with its log; whatever had started is stopped first.
  explicit deployment(deployment_options options);
  ~deployment();
  deployment(deployment const&) = delete;
  deployment& operator=(deployment const&) = delete;

  /// The front door's address, "HOST:PORT".
  std::string const& address() const noexcept { return processes_.back().address; }

  /// Every process, the front door last.
  std::vector<child_process> const& processes() const noexcept { return processes_; }
  std::vector<child_process>& processes() noexcept { return processes_; }

  /// How many replicas of process `name` run.
  int replicas_of(std::string_view name) const noexcept;

  /// The index of the process named `name` ("pricing", "monolith", ...), its first replica, if there is one.
  std::optional<std::size_t> index_of(std::string_view name) const noexcept;

  /// Process `index`'s CPU limit and the directory of its group; nothing when it has none.
  struct cpu_limit_info {
    double cores = 0;
    std::string cgroup;
  };
  std::optional<cpu_limit_info> cpu_limit_of(std::size_t index) const;

  /// Starts process `index` again, on the address it had, once it has exited (a fault, a crash):
  /// returns when it has reported its address, back in its limited group if it has one. Throws
  /// std::runtime_error as the constructor does.
  void restart(std::size_t index);

  /// The first process found to have exited, with how and the tail of its log; nothing if all run.
  std::optional<std::string> failure();

  /// Stops every process, the front door first. Safe to call twice.
  void stop();

 private:
  child_process start(std::string name, int replica, std::string const& binary, std::vector<std::string> args, std::string const& netns);
  /// Every replica of `name`, the first on `listen`, the others on its port where `shared`, on
  /// ports of their own otherwise; returns their addresses, comma-separated.
  std::string start_replicas(std::string const& name, std::string const& binary, std::vector<std::string> const& args, std::string const& listen, bool shared);

  /// The front door's address before it starts, for a group that calls a service in it: the
  /// port asked for, or a free one; with a network, on a host made now.
  std::string early_front_door(std::string const& name, std::string const& front);
  void release_held_port() noexcept;

  deployment_options options_;
  struct host_address {
    std::string label, ns, address;
  };
  std::optional<host_address> early_host_;
  int held_port_ = -1;  ///< the front door's port, held from when it was chosen until the front door has bound it
  std::vector<child_process> processes_;
  std::vector<std::pair<std::string, std::vector<std::string>>> commands_;  ///< each process's binary and arguments
  std::vector<std::unique_ptr<os::cpu_limit>> limits_;  ///< each process's group or null; removed once ~deployment has stopped the processes
};

}  // namespace splitbench::bench

#pragma once
/// CPU budgets per process, as Kubernetes' limits.cpu: a control group whose CFS quota lets the
/// processes in it run `cores` cores' worth of every 100 ms period, and then waits them out until
/// the next period. Over a few periods a busy process gets `cores` cores; within one it runs in
/// bursts, which is what a limited pod's latency tail shows too.
///
///   os::cpu_limit pricing("pricing", 0.5);  // splitbench-<pid>-pricing, 50 ms of each 100 ms
///   pricing.add(pid);                        // the process and all its threads
///
/// cgroup v2 (`cpu.max`) where the unified hierarchy offers the cpu controller; cgroup v1
/// (`cpu.cfs_quota_us`, `cpu.cfs_period_us`) otherwise. Groups are made at the hierarchy's root
/// and named `splitbench-<owner pid>-<name>`, so that a group its owner left behind (killed
/// before its destructor ran) is found and removed when the next one is made.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace splitbench::os {

/// CPU limits cannot be set up: the message says what was tried and why it failed.
struct cgroup_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class cgroup_version { v1, v2 };

/// "cgroup v1" or "cgroup v2".
std::string_view name_of(cgroup_version v) noexcept;

/// The CFS period of a limit unless it names another: 100 ms, as Kubernetes uses.
inline constexpr std::chrono::microseconds cpu_period{100'000};

/// The shortest period the kernel allows a quota of `cores` in (its least quota and period are
/// both 1 ms): 2 ms at half a core, 1 ms from one core up. A group throttled in it waits at most
/// that long, so a latency SLO of milliseconds measures the CPU, not the throttling. Throws
/// std::invalid_argument for cores not above 0.
std::chrono::microseconds shortest_cpu_period(double cores);

/// The hierarchy that holds the cpu controller, where limited groups are made.
struct cpu_hierarchy {
  cgroup_version version = cgroup_version::v2;
  std::string root;  ///< its mount point: /sys/fs/cgroup, /sys/fs/cgroup/cpu, ...
};

/// Where CPU limits can be set, from a mount table in /proc/self/mountinfo's form: a cgroup v2
/// hierarchy that offers the cpu controller and can be written, else a writable cgroup v1
/// hierarchy with the cpu controller and CFS bandwidth control. Throws cgroup_error saying what
/// each candidate lacked.
cpu_hierarchy find_cpu_hierarchy(std::string_view mountinfo);
/// The same, from this process's mount table.
cpu_hierarchy find_cpu_hierarchy();

/// A limited group, removed on destruction. Move-only.
class cpu_limit {
 public:
  /// Makes the group `splitbench-<this pid>-<name>` (a suffix added if that exists) under the
  /// hierarchy found here, its quota `cores` × `period`, after removing groups whose owners no
  /// longer run. Throws std::invalid_argument for a name that is not [A-Za-z0-9_.-]+, for cores
  /// not above 0 or a quota under 1 ms (the kernel's least: 0.01 cores of 100 ms), or a period
  /// outside 1 ms to 1 s; cgroup_error otherwise.
  cpu_limit(std::string_view name, double cores, std::chrono::microseconds period = cpu_period);
  cpu_limit(cpu_hierarchy where, std::string_view name, double cores, std::chrono::microseconds period = cpu_period);

  /// Moves what still runs in the group to its parent, then removes the group.
  ~cpu_limit();
  cpu_limit(cpu_limit&& other) noexcept;
  cpu_limit& operator=(cpu_limit&& other) noexcept;
  cpu_limit(cpu_limit const&) = delete;
  cpu_limit& operator=(cpu_limit const&) = delete;

  /// Moves process `pid`, every thread of it, into the group; its children, forked later, start
  /// there too. Throws cgroup_error.
  void add(pid_t pid);

  double cores() const noexcept { return cores_; }
  std::chrono::microseconds period() const noexcept { return period_; }
  cgroup_version version() const noexcept { return where_.version; }
  /// The group's directory.
  std::string const& path() const noexcept { return path_; }

 private:
  cpu_hierarchy where_;
  std::string path_;  ///< empty once moved from
  double cores_ = 0;
  std::chrono::microseconds period_ = cpu_period;
};

/// The CPU quota, in cores, of the group process `pid` is in under `where`; nothing when that
/// group has no quota or the process is gone.
std::optional<double> cpu_quota_cores(pid_t pid, cpu_hierarchy const& where);

/// Removes the `splitbench-<pid>-*` groups under `where` whose owner no longer runs, moving what
/// still runs in them to the root first; returns how many it removed.
int remove_stale_cpu_groups(cpu_hierarchy const& where);

/// Checks that CPU limits can be set here by making and removing a limited group, for a command
/// to fail before it starts anything. Returns where limits go; throws cgroup_error.
cpu_hierarchy check_cpu_limits();

}  // namespace splitbench::os

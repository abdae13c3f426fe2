#pragma once
/// Starts and stops the processes of a deployment. Each child runs in its own process group and
/// is killed by the kernel when its parent dies (PR_SET_PDEATHSIG), so no process outlives the
/// one that started it, even when that one is killed with SIGKILL.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace splitbench::bench {

/// One started process.
struct child_process {
  std::string name;      ///< "gateway", "catalog", "monolith", ...
  pid_t pid = -1;
  std::string address;   ///< "127.0.0.1:PORT" it listens on
  std::string log_path;  ///< its stdout and stderr
  int replica = 0;       ///< which of the service's replicas, from 0
  std::string netns;     ///< the network namespace it runs in (os/netns.hpp); empty: this process's
};

/// Starts `program args... --ready-fd 3` with its output in `log_path`, and waits until it has
/// written the address it listens on to fd 3. Throws std::runtime_error, with the tail of the
/// log, when the process exits or stays silent for `timeout`. A restart appends to the log. With
/// `netns`, the process runs in that network namespace (it enters it between fork and exec).
child_process spawn_server(std::string name, std::string const& program, std::vector<std::string> args,
                           std::string log_path, std::chrono::milliseconds timeout, bool append = false, std::string const& netns = {});

/// SIGTERM to the process's group, then SIGKILL after `grace`; reaps it. Safe to call twice.
void stop_process(child_process& p, std::chrono::milliseconds grace);

/// If the process has exited, how ("exited with status 3", "killed by signal 9"); reaps it.
std::optional<std::string> exit_status(child_process& p);

/// The last `lines` lines of a file, for reporting a process that died.
std::string tail_of(std::string const& path, std::size_t lines = 20);

/// The directory of the running executable (where the sibling binaries are).
std::string executable_dir();

/// How long a supervisor waits before it starts a process that died again, after `restarts`
/// earlier restarts of it: 100 ms, doubling with each, up to 2 s.
std::chrono::milliseconds restart_backoff(int restarts) noexcept;

/// Switches a fault inside the process at `address` through its admin endpoint (host/admin.hpp):
/// `action` on `service` ("slow=2ms"), or off when `action` is empty. Blocks; nothing on
/// success, what went wrong otherwise.
std::optional<std::string> switch_fault(std::string const& address, std::string const& service, std::string const& action);

/// The requests the process at `address` has served, from its /metrics
/// (splitbench_http_requests_total, which counts /health and /metrics too); nothing when it does
/// not answer.
std::optional<std::uint64_t> requests_served(std::string const& address);

/// The text GET /metrics answers at `address`; nothing if it did not answer 200.
std::optional<std::string> metrics_of(std::string const& address);

/// Blocks the calling thread until GET http://address/health answers 200, or `timeout` passes.
bool wait_healthy(std::string const& address, std::chrono::milliseconds timeout);

}  // namespace splitbench::bench

#pragma once
/// What every server process shares: its flags and its life (serve until SIGINT or SIGTERM).

#include "cli/options.hpp"
#include "host/fault_switch.hpp"
#include "host/inject.hpp"
#include "net/server.hpp"

#include <cstdint>
#include <vector>

namespace splitbench::host {

/// The flags of a server process, as server_flags fills them.
struct process_options {
  net::server_options server;
  std::uint64_t seed = 42;
  /// When >= 0: the listening address ("127.0.0.1:PORT\n") is written there once, then it is
  /// closed. A parent that started this process with port 0 learns the port this way.
  int ready_fd = -1;
  /// --inject-latency SERVICE=DURATION, repeatable; each process applies what names its services.
  std::vector<injected_latency> inject;
  /// --admin: serve /admin/faults (host/admin.hpp), and bind each service through its switch.
  bool admin = false;
};

/// --listen HOST:PORT, --threads N, --seed S, --ready-fd FD, --header-limit, --body-limit,
/// --request-timeout, --idle-timeout, --max-connections, --inject-latency SERVICE=DURATION, --admin.
std::vector<cli::flag> server_flags(process_options& options);

/// The switches of `services` with --admin, none without: without it no binding is wrapped and
/// no admin route exists.
std::unique_ptr<fault_board> make_fault_board(process_options const& options, std::vector<std::string> const& services);

/// Serves until SIGINT or SIGTERM; prints "<name> listening on http://HOST:PORT" first. With
/// --admin, each thread's app answers /admin/faults over `faults` too. Returns the exit status.
int serve(char const* name, process_options const& options, fault_board& faults, net::app_factory make_app);

}  // namespace splitbench::host

#pragma once
/// What every server process shares: its flags and its life (serve until SIGINT or SIGTERM).

#include "api/inject.hpp"
#include "cli/options.hpp"
#include "net/router.hpp"
#include "net/server.hpp"

#include <cstdint>
#include <vector>

namespace splitbench::api {

struct process_options {
  net::server_options server;
  std::uint64_t seed = 42;
  /// When >= 0: the listening address ("127.0.0.1:PORT\n") is written there once, then it is
  /// closed. A parent that started this process with port 0 learns the port this way.
  int ready_fd = -1;
  /// --inject-latency SERVICE=DURATION, repeatable; each process applies what names its services.
  std::vector<injected_latency> inject;
};

/// --listen HOST:PORT, --threads N, --seed S, --ready-fd FD, --header-limit, --body-limit,
/// --request-timeout, --idle-timeout, --max-connections, --inject-latency SERVICE=DURATION.
std::vector<cli::flag> server_flags(process_options& options);

/// Serves until SIGINT or SIGTERM; prints "<name> listening on http://HOST:PORT" first.
/// Returns the process's exit status.
int serve(char const* name, process_options const& options, net::app_factory make_app);

}  // namespace splitbench::api

namespace splitbench::api {

/// An app that answers through a router; per-thread apps derive from it, hold their bindings as
/// members and add their routes in their constructor.
class routed_app : public net::app {
 public:
  void handle(net::request const& req, net::responder respond) override { routes.dispatch(req, std::move(respond)); }

 protected:
  net::router routes;
};

}  // namespace splitbench::api

#include "host/process.hpp"

#include "cli/flags.hpp"
#include "host/admin.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <thread>
#include <unistd.h>

namespace splitbench::host {

std::vector<cli::flag> server_flags(process_options& o) {
  auto& s = o.server;
  return {
      cli::address("listen", s.host, s.port, "address to listen on (port 0: any free port)"),
      cli::whole("threads", s.threads, 1, 256, "threads, each with its own event loop"),
      cli::whole("seed", o.seed, 0, INT64_MAX, "seed of the generated catalog and stock"),
      cli::with_default(
          cli::whole("ready-fd", o.ready_fd, 0, 1 << 20, "where to write the listening address, for a parent that asked for port 0", "FD"),
          "none"),
      cli::whole("header-limit", s.header_limit, 256, 1 << 20, "largest request header (431 beyond)", "BYTES"),
      cli::whole("body-limit", s.body_limit, 0, 1LL << 30, "largest request body (413 beyond)", "BYTES"),
      cli::duration("request-timeout", s.request_timeout, "time for a whole request to arrive once its first byte has"),
      cli::duration("idle-timeout", s.idle_timeout, "idle keep-alive connections close after this"),
      cli::whole("max-connections", s.max_connections, 1, 1 << 24, "connections beyond this are closed at once"),
      {.name = "inject-latency", .value = "SERVICE=DURATION", .help = "every operation of that service answers this much later",
       .set = [&o](std::string_view v) { o.inject.push_back(parse_injection(v)); }, .repeatable = true},
      {.name = "admin", .help = "serve /admin/faults: slow and error faults switched on and off while running (below)",
       .set = [&o](std::string_view) { o.admin = true; }},
  };
}

std::unique_ptr<fault_board> make_fault_board(process_options const& options, std::vector<std::string> const& services) {
  if (!options.admin) return std::make_unique<fault_board>();
  return std::make_unique<fault_board>(services, options.seed);
}

int serve(char const* name, process_options const& options, fault_board& faults, net::app_factory make_app) {
  std::signal(SIGPIPE, SIG_IGN);
  if (options.admin)
    make_app = [inner = std::move(make_app), &faults](boost::asio::io_context& c) { return with_admin(inner(c), faults); };
  // A port in use or an address not on this machine is the caller's to fix: a usage error.
  auto server = [&] {
    try {
      return std::make_unique<net::server>(options.server, std::move(make_app));
    } catch (std::runtime_error const& e) {
      throw cli::usage_error(e.what());
    }
  }();
  auto address = fmt::format("{}:{}", options.server.host, server->port());
  fmt::print("{} listening on http://{}\n", name, address);
  std::fflush(stdout);
  if (options.ready_fd >= 0) {
    auto line = address + "\n";
    [[maybe_unused]] auto n = ::write(options.ready_fd, line.data(), line.size());
    ::close(options.ready_fd);
  }
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([&server](boost::system::error_code ec, int) {
    if (!ec) server->stop();
  });
  std::thread waiter([&signals_context] { signals_context.run(); });
  server->run();
  signals_context.stop();
  waiter.join();
  return 0;
}

}  // namespace splitbench::host

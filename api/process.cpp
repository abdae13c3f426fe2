#include "api/process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <thread>
#include <unistd.h>

namespace splitbench::api {

std::vector<cli::flag> server_flags(process_options& o) {
  auto& s = o.server;
  return {
      {"listen", true, [&s](std::string_view v) { auto a = cli::parse_host_port(v); s.host = a.host; s.port = a.port; },
       "HOST:PORT to listen on (port 0: any free port)"},
      {"threads", true, [&s](std::string_view v) { s.threads = static_cast<int>(cli::parse_integer(v, 1, 256, "--threads")); },
       "threads, each with its own event loop"},
      {"seed", true, [&o](std::string_view v) { o.seed = static_cast<std::uint64_t>(cli::parse_integer(v, 0, INT64_MAX, "--seed")); },
       "seed of the generated catalog and stock"},
      {"ready-fd", true, [&o](std::string_view v) { o.ready_fd = static_cast<int>(cli::parse_integer(v, 0, 1 << 20, "--ready-fd")); },
       "file descriptor to write the listening address to"},
      {"header-limit", true, [&s](std::string_view v) { s.header_limit = static_cast<std::size_t>(cli::parse_integer(v, 256, 1 << 20, "--header-limit")); },
       "largest request header in bytes (431 beyond)"},
      {"body-limit", true, [&s](std::string_view v) { s.body_limit = static_cast<std::size_t>(cli::parse_integer(v, 0, 1LL << 30, "--body-limit")); },
       "largest request body in bytes (413 beyond)"},
      {"request-timeout", true, [&s](std::string_view v) { s.request_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(cli::parse_duration(v)); },
       "time for a whole request to arrive"},
      {"idle-timeout", true, [&s](std::string_view v) { s.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(cli::parse_duration(v)); },
       "idle keep-alive connections close after this"},
      {"max-connections", true, [&s](std::string_view v) { s.max_connections = static_cast<std::size_t>(cli::parse_integer(v, 1, 1 << 24, "--max-connections")); },
       "connections beyond this are closed at once"},
      {"inject-latency", true, [&o](std::string_view v) { o.inject.push_back(parse_injection(v)); },
       "SERVICE=DURATION: every operation of that service answers this much later"},
  };
}

int serve(char const* name, process_options const& options, net::app_factory make_app) {
  std::signal(SIGPIPE, SIG_IGN);
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

}  // namespace splitbench::api

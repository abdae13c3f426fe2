#pragma once
/// The HTTP/1.1 server of every splitbench process: one io_context per thread, each with its own
/// acceptor on the shared port (SO_REUSEPORT) and its own app, so a connection never leaves the
/// thread that accepted it and the hot path takes no lock.
///
/// Every server answers `GET /health` and `GET /metrics` itself; everything else goes to the app.
/// /metrics is Prometheus' text format: counters of the whole server, a request-duration
/// histogram per route (the app names its routes) and one per peer the app calls.

#include "net/http.hpp"
#include "net/route_match.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace splitbench::net {

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0: the OS picks; port() tells which
  int threads = 1;
  std::size_t header_limit = 8 * 1024;    ///< larger headers: 431
  std::size_t body_limit = 1024 * 1024;   ///< larger bodies: 413
  /// A whole request must arrive within this once its first byte has (slow clients are closed).
  std::chrono::milliseconds request_timeout{10'000};
  /// An idle keep-alive connection is closed after this.
  std::chrono::milliseconds idle_timeout{75'000};
  /// Connections beyond this are closed as soon as they are accepted.
  std::size_t max_connections = 4'096;
};

class http_client;

/// Handles the requests of one thread; made once per thread and used only there, but for the
/// const members, which the thread that answers /metrics calls too.
class app {
 public:
  virtual ~app() = default;

  /// The route `req` takes; the server asks once per request, before handle(), so that it
  /// times the request under that route's name. By default none: every request is unmatched.
  virtual route_match match(request const& req) const;

  /// Answers `req`, which match() matched as `m`.
  virtual void handle(request const& req, route_match const& m, responder respond) = 0;

  /// Matches and answers in one step.
  void handle(request const& req, responder respond) { handle(req, match(req), std::move(respond)); }

  /// Every route match() can name, in its order: the route labels of the server's metrics.
  virtual std::vector<route_label> route_labels() const { return {}; }

  /// The clients of the peers it calls, whose calls the server's metrics time per peer.
  virtual std::vector<http_client const*> clients() const { return {}; }
};

/// Makes the app of one server thread, given that thread's io_context.
using app_factory = std::function<std::unique_ptr<app>(boost::asio::io_context&)>;

/// Counters of a whole server, summed over its threads.
struct server_stats {
  std::uint64_t requests = 0;
  std::uint64_t responses_2xx = 0, responses_4xx = 0, responses_5xx = 0;
  std::uint64_t bad_requests = 0;  ///< requests refused by the parser or the framing checks
  std::uint64_t timeouts = 0;      ///< connections closed by a read timeout
  std::uint64_t connections_accepted = 0, connections_refused = 0, connections_open = 0;
};

class server {
 public:
  /// Binds and listens on every thread's acceptor; throws std::runtime_error naming the address
  /// when that fails (a port in use, an address not on this machine).
  server(server_options options, app_factory make_app);
  ~server();
  server(server const&) = delete;
  server& operator=(server const&) = delete;

  /// The port it listens on.
  std::uint16_t port() const noexcept;

  /// Serves on options.threads threads, this one included, until stop().
  void run();

  /// Makes run() return; safe from any thread.
  void stop();

  server_stats stats() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace splitbench::net

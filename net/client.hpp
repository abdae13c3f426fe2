#pragma once
/// An HTTP/1.1 client for one peer, used from one thread: a pool of keep-alive connections on that
/// thread's io_context, every request bounded by a timeout. It never blocks a thread.

#include "core/error.hpp"
#include "net/http.hpp"
#include "net/resilience.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace splitbench::net {

struct client_options {
  /// Connect, write and read of one request together; beyond it the request fails with errc::timeout.
  std::chrono::milliseconds timeout{2'000};
  /// Idle connections kept for reuse; more are closed when they come back.
  std::size_t max_idle = 256;
  std::size_t body_limit = 16 * 1024 * 1024;
  /// Retries of failed calls (see resilience.hpp). Only calls that may safely be made twice are
  /// retried: any call whose connection was refused (it never reached the peer), and GET calls
  /// that timed out, lost their connection or got 502, 503 or 504.
  retry_options retry;
  /// A breaker over this peer: failures are errors of the call and answers of status 500 and above.
  breaker_options breaker;
};

/// A response as the client got it.
struct reply {
  unsigned status = 0;
  std::string body;
};

class http_client {
 public:
  /// `name` is used in error messages ("pricing unavailable: Connection refused").
  http_client(boost::asio::io_context& context, std::string name, std::string host, std::uint16_t port,
              client_options options = {});
  ~http_client();
  http_client(http_client const&) = delete;
  http_client& operator=(http_client const&) = delete;

  /// Sends one request; `done` runs on this client's io_context with the reply, or with
  /// errc::unavailable (connection refused, reset, closed) or errc::timeout. A request that
  /// fails on a reused connection before any answer came is sent once more on a new one,
  /// since the peer may have closed that idle connection first. With a breaker open, `done`
  /// gets errc::unavailable at once ("pricing circuit open").
  void send(method m, std::string target, std::string body, std::function<void(result<reply>)> done);

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace splitbench::net

#pragma once
/// An HTTP/1.1 client for one peer, used from one thread: a pool of keep-alive connections on that
/// thread's io_context per replica of the peer, every request bounded by a timeout. It never
/// blocks a thread.

#include "core/error.hpp"
#include "net/delay_distribution.hpp"
#include "net/http.hpp"
#include "net/latency_histogram.hpp"
#include "net/resilience.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace splitbench::net {

/// How a call picks a replica of its peer: in turn, or the less busy of two drawn at random
/// (outstanding calls; Mitzenmacher's power of two choices, as Finagle and Linkerd balance).
enum class balance { round_robin, p2c };

struct client_options {
  /// Connect, write and read of one request together; beyond it the request fails with errc::timeout.
  std::chrono::milliseconds timeout{2'000};
  /// Idle connections kept for reuse; more are closed when they come back.
  std::size_t max_idle = 256;
  std::size_t body_limit = 16 * 1024 * 1024;
  /// Retries of failed calls (see resilience.hpp). Only calls that may safely be made twice are
  /// retried: any call whose connection was refused (it never reached the peer), and calls that
  /// may be made twice (GETs, and reads sent as POSTs that say so: net::endpoint::idempotent)
  /// that timed out, lost their connection or got 502, 503 or 504.
  retry_options retry;
  /// A breaker over this peer: failures are errors of the call and answers of status 500 and above.
  breaker_options breaker;
  /// Over replicas: how a call picks one; a replica whose call failed to connect, lost its
  /// connection or timed out is ejected for `ejection` (doubling while it keeps failing, up to
  /// 8 times that) and the call, where it is safe to repeat, is tried once more on another
  /// replica within the retry budget; the first try then has half the timeout and the two
  /// together the whole of it, so that a call is never slower than one to a single replica. An ejected replica takes calls again once its time is out,
  /// and its first success makes it healthy (passive outlier detection, as Envoy's). The last
  /// replica left is never ejected.
  balance policy = balance::p2c;
  std::chrono::milliseconds ejection{1'000};
  /// A one-way delay added to each direction of every try, as a network between the caller and
  /// its peer would: the request waits one draw before it is sent, the answer another after it
  /// came, on timers. None: loopback's own.
  std::optional<delay_distribution> network_delay;
  std::uint64_t network_seed = 0;  ///< seeds the draws, so that a run draws the same delays again
};

/// One replica's address.
struct peer_address {
  std::string host;
  std::uint16_t port = 0;
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
  /// A peer of several replicas, balanced as `options.policy` says.
  http_client(boost::asio::io_context& context, std::string name, std::vector<peer_address> replicas, client_options options = {});
  ~http_client();
  http_client(http_client const&) = delete;
  http_client& operator=(http_client const&) = delete;

  /// Sends one request; `done` runs on this client's io_context with the reply, or with
  /// errc::unavailable (connection refused, reset, closed) or errc::timeout. A request that
  /// fails on a reused connection before any answer came is sent once more on a new one,
  /// since the peer may have closed that idle connection first. With a breaker open, `done`
  /// gets errc::unavailable at once ("pricing circuit open").
  void send(method m, std::string target, std::string body, std::function<void(result<reply>)> done);
  /// The same, for a call `repeatable` says may be made twice (net::endpoint::repeatable): it
  /// may then be retried after a timeout or a lost connection, as a GET may.
  /// `server_timing`: when set, the request asks the peer for its timing (`X-Splitbench-Timing:
  /// 1`) and the peer's `Server-Timing` value is put there before `done` runs (empty if it sent
  /// none); it must live until then. Kept out of `reply`, so that untimed calls carry nothing more.
  void send(method m, bool repeatable, std::string target, std::string body, std::function<void(result<reply>)> done,
            std::string* server_timing = nullptr);

  /// The peer's name, as given.
  std::string const& name() const noexcept;

  /// How long its calls took, as their callers saw them (from send() to `done`, retries and
  /// moves to another replica included); safe from any thread.
  histogram_snapshot call_durations() const noexcept;

  /// Calls sent to each replica so far, retries included, in the order given.
  std::vector<std::uint64_t> calls_per_replica() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace splitbench::net

#pragma once
/// What the driver measured, as data. Each worker records into results of its own and they are
/// combined with merge() after the run (Nighthawk's `combine`): counts add, histograms merge
/// exactly, nothing is averaged across threads.
///
/// Two ways of counting, each where it answers the question:
///
/// - By request. "The window's requests" are those due in the measured window (open loop) or
///   sent in it (closed loop). Each has exactly one outcome: a response (of any status), a
///   failure (read, write, timeout, parse), unsent, or in flight at the end. So
///       requests == all.responses + all.errors.{refused, read, write, timeout, parse} + unsent + in_flight_at_end
///       requests == all.response_time.count()
///   and every latency histogram is over these requests.
/// - By time. Throughput and error rate count what happened inside the window, whatever the
///   request's due time: `good_in_window`, `errors_in_window`, `per_second`. A server of capacity
///   C driven at 3C completes C per second, and that is its throughput.
///
/// Histograms are in nanoseconds. Which holds what:
///   response_time       every request of the window, from its due time (open loop; its send time
///                       in closed loop) to its outcome: a response when it completed, a failure
///                       when it failed (a timeout at send + timeout, a reset when it reset),
///                       unsent or in flight at the hard deadline (see timeline.hpp). Failures
///                       are in the tail, never left out.
///   good_response_time  the same, for responses with status < 400 only: good latency apart.
///   service_time        from the actual send to the outcome, for the requests that were sent.
///   queue_wait          open loop: from the due time until a connection was free for it.
///   send_lag            open loop: from a free connection to the actual send: the driver's own
///                       lateness, apart from waiting for a connection.
///   intervals           per route, the window in slices by due time, when asked for: what
///                       became of each slice's requests (a fault's timeline).
///   hiccups             how late a thread sleeping 1 ms at a time woke during the window:
///                       the machine's own stalls (jHiccup).

#include "bench/driver/breakdown.hpp"
#include "bench/driver/failure.hpp"
#include "bench/driver/histogram.hpp"
#include "bench/driver/interval_log.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace splitbench::bench {

/// A request sent later than this after its due time is counted as `late`.
inline constexpr std::chrono::nanoseconds late_after = std::chrono::milliseconds(1);

/// Errors by kind; none of them stops a run.
struct error_counts {
  std::uint64_t connect = 0;  ///< connection attempts refused or failed inside the window (retried with back-off)
  std::uint64_t refused = 0;  ///< the window's requests due while the server could not be reached: failed at once
  std::uint64_t read = 0;     ///< connection lost while waiting for a response
  std::uint64_t write = 0;
  std::uint64_t timeout = 0;  ///< no complete response within the timeout
  std::uint64_t parse = 0;    ///< a response that is not HTTP/1.1
  std::uint64_t status = 0;   ///< responses with status >= 400

  /// Every error, failed connection attempts included.
  std::uint64_t total() const noexcept { return connect + refused + read + write + timeout + parse + status; }
  /// Counts one failure of `kind`. Unsent and in-flight requests are not errors of an exchange:
  /// load_result counts them apart, so they change nothing here.
  void count(failure kind) noexcept;
  void merge(error_counts const& other) noexcept;
};

/// One second of the measured window, by the time things happened in it.
struct second_stats {
  std::uint64_t responses = 0;  ///< responses completed, any status
  std::uint64_t errors = 0;     ///< errors that happened
  std::uint64_t p50_ns = 0;     ///< of the response times of the responses and failures in it
  std::uint64_t p99_ns = 0;
  histogram response_time{2, 60'000'000'000ULL};

  /// Adds `other` (the same second, from another worker) and takes p50 and p99 again.
  void merge(second_stats const& other);
};

/// One slice of the measured window (load_options::interval long) of one route, by the due time
/// of its requests: what became of the requests due in it, as their users saw it. A request that
/// waited for a connection (the server unreachable) and was answered well, but later than the
/// timeout from its due time, is a timeout here: its user had given up. Availability over time is
/// good / due.
struct interval_stats {
  std::uint64_t due = 0;                ///< requests due in the slice
  std::uint64_t good = 0;               ///< answered with status < 400 within the timeout of its due time
  std::uint64_t client_errors = 0;      ///< answered 4xx
  std::uint64_t server_errors = 0;      ///< answered 5xx
  std::uint64_t timeouts = 0;           ///< no good answer within the timeout of its due time
  std::uint64_t connection_errors = 0;  ///< reset, write failure or unparsable answer
  std::uint64_t unanswered = 0;         ///< never sent, or still in flight at the hard deadline
  histogram response_time{2, 60'000'000'000ULL};  ///< due time to outcome, every request of the slice

  void merge(interval_stats const& other);
};

/// One route's share of the run; `all` is every route's merged, with failed connection attempts.
struct route_result {
  route_result() = default;
  explicit route_result(std::string route_name) : name(std::move(route_name)) {}

  std::string name;
  histogram response_time{3};       ///< the window's requests, due time to outcome, failures included
  histogram good_response_time{3};  ///< the window's responses with status < 400, due time to response
  histogram service_time{3};        ///< the window's requests that were sent, send to outcome
  std::uint64_t responses = 0;      ///< the window's requests answered, any status
  error_counts errors;              ///< the window's requests that failed or got status >= 400, by kind
  std::array<std::uint64_t, 6> status_classes{};  ///< the window's responses by status / 100 (index 1..5)
  std::uint64_t good_in_window = 0;    ///< responses with status < 400 completed inside the window
  std::uint64_t errors_in_window = 0;  ///< errors (status >= 400, failures, failed connects) inside the window
  std::vector<interval_stats> intervals;  ///< the window in slices, when load_options::interval asks for them
  /// The window's good responses split into their parts, when load_options::timing asks (breakdown.hpp).
  std::optional<timing_breakdown> timing;

  /// Adds `other`'s requests to these: the same route, measured by another worker.
  void merge(route_result const& other);
};

struct load_result {
  bool open_loop = false;
  double target_rate = 0;       ///< requests per second asked for (open loop), of this run (shard) alone
  std::int64_t start_unix_ns = 0;  ///< wall-clock time request 0 of the schedule was due
  double measured_seconds = 0;  ///< length of the measured window
  std::uint64_t requests = 0;   ///< the window's requests: due in it (open loop) or sent in it (closed loop)
  std::uint64_t unsent = 0;     ///< the window's requests never sent: still waiting for a connection at send_until
  std::uint64_t late = 0;       ///< the window's requests sent more than `late_after` after their due time
  std::uint64_t in_flight_at_end = 0;  ///< the window's requests unanswered at the hard deadline, before their timeout
  std::vector<route_result> routes;
  route_result all;             ///< every route merged, and the connection attempts that failed
  histogram send_lag{3};        ///< open loop: free connection to send, the driver's own lateness
  histogram queue_wait{3};      ///< open loop: due time to a free connection
  histogram hiccups{3};         ///< the machine's stalls during the window (see above)
  double connections_busy = 0;  ///< fraction of the window the connections spent carrying a request
  std::uint64_t reconnects = 0;  ///< connections reopened after the server closed them
  std::vector<second_stats> per_second;
  /// Each route's response times per second of the window, when load_options::interval_log asks
  /// for them: merge() puts the parts side by side, merge_intervals() adds them up.
  std::vector<interval_histogram> interval_log;
  double driver_cpu_seconds = 0;  ///< user + system of this process during the window
  int threads = 0;
  int connections = 0;
  bool cancelled = false;

  /// Responses with status < 400 completed inside the window, per second of it.
  double throughput_rps() const noexcept { return per_second_of(all.good_in_window); }
  /// Errors (status >= 400, failures, failed connects) that happened inside the window, per second.
  double error_rps() const noexcept { return per_second_of(all.errors_in_window); }
  /// CPU of the driver per response, microseconds.
  double driver_cpu_us_per_request() const noexcept {
    return all.responses ? driver_cpu_seconds * 1e6 / static_cast<double>(all.responses) : 0;
  }
  /// Fraction of its threads' time the driver was busy; near 1 it measures itself.
  double driver_utilisation() const noexcept {
    return measured_seconds > 0 && threads > 0 ? driver_cpu_seconds / (measured_seconds * threads) : 0;
  }

  /// Adds `other`, a part of the same run over the same window (another worker, or a shard):
  /// counts, threads, connections and the target rate add; histograms and routes merge; the
  /// connections' busy fraction is weighted by their number.
  void merge(load_result const& other);

 private:
  double per_second_of(std::uint64_t n) const noexcept { return measured_seconds > 0 ? static_cast<double>(n) / measured_seconds : 0; }
};

}  // namespace splitbench::bench

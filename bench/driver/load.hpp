#pragma once
/// The load driver: open loop at a constant rate (latency from each request's due time, so
/// coordinated omission is corrected) or closed loop (as fast as the connections allow), over
/// keep-alive HTTP/1.1 connections. Each thread owns an io_context and its connections and
/// records into its own histograms; they are merged at the end.

#include "bench/driver/histogram.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// What to send: routes with weights, each with a pool of ready-made request bytes that are
/// drawn from at random (seeded) so that a workload can vary its ids and bodies.
struct request_mix {
  struct route {
    std::string name;
    double weight = 1;
    std::vector<std::string> requests;  ///< complete HTTP/1.1 requests
    bool head = false;                  ///< HEAD requests: responses have no body
  };
  std::vector<route> routes;
};

/// The bytes of one HTTP/1.1 request: method, target, Host, extra headers and body.
std::string make_request(std::string_view method, std::string_view target, std::string_view host,
                         std::vector<std::string> const& headers = {}, std::string_view body = {});

struct load_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 80;
  std::optional<double> rate;  ///< requests per second in all: open loop; none: closed loop
  int connections = 10;
  int threads = 1;
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::chrono::nanoseconds warmup = std::chrono::seconds(2);
  std::chrono::nanoseconds timeout = std::chrono::seconds(2);
  std::uint64_t seed = 1;
  /// Set from anywhere to end the run early; what was measured is kept.
  std::atomic<bool> const* cancel = nullptr;
  /// Called on the calling thread as the measured window starts and as it ends (each once),
  /// to sample what the window should cover, such as the server's CPU time.
  std::function<void()> at_measure_start, at_measure_end;
};

/// Throws a one-line std::invalid_argument for settings that cannot work.
void validate(load_options const& options);

/// Errors by kind; none of them stops a run.
struct error_counts {
  std::uint64_t connect = 0;  ///< connections refused or failed (each retried with back-off)
  std::uint64_t read = 0;     ///< connection lost while waiting for a response
  std::uint64_t write = 0;
  std::uint64_t timeout = 0;  ///< no complete response within the timeout
  std::uint64_t parse = 0;    ///< a response that is not HTTP/1.1
  std::uint64_t status = 0;   ///< responses with status >= 400
  /// Every kind, connect included.
  std::uint64_t total() const noexcept { return connect + read + write + timeout + parse + status; }
  void add(error_counts const& o) noexcept;
};

/// One second of the measured window, by completion time.
struct second_stats {
  std::uint64_t responses = 0;
  std::uint64_t errors = 0;
  std::uint64_t p50_ns = 0;
  std::uint64_t p99_ns = 0;
};

/// What one route (or all of them) measured. Open loop: every request due in the window is in
/// `response_time` exactly once: answered, at its response; failed (timeout, reset, parse), at
/// the time it failed; never sent or still in flight at the end, at the run's hard deadline.
struct route_result {
  std::string name;
  histogram response_time{3};       ///< from due time to response or failure (corrected; open loop)
  histogram good_response_time{3};  ///< the same, for responses with status < 400 only
  histogram service_time{3};        ///< from actual send to complete response
  std::uint64_t responses = 0;      ///< with status < 400, due in the window
  error_counts errors;
  std::array<std::uint64_t, 6> status_classes{};  ///< responses by status / 100 (index 1..5)

  /// Adds another worker's or route's figures.
  void merge(route_result const& other);
};

struct load_result {
  bool open_loop = false;
  double target_rate = 0;       ///< requests per second asked for (open loop)
  double measured_seconds = 0;  ///< length of the measured window
  std::uint64_t requests = 0;   ///< responses due (open) or sent (closed) in the window
  std::uint64_t unsent = 0;     ///< open loop: due in the window but never sent, up to the hard deadline
  std::uint64_t late = 0;       ///< open loop: sent more than late_threshold after its connection was free
  std::uint64_t in_flight_at_end = 0;  ///< due in the window, sent, unanswered at the hard deadline
  std::uint64_t completed = 0;  ///< responses with status < 400 completed inside the window, whenever due
  std::uint64_t failed = 0;     ///< errors of every kind that happened inside the window
  std::vector<route_result> routes;
  route_result all;             ///< every route merged
  histogram send_lag{3};        ///< open loop: send - the later of due time and connection free (the driver's own lateness)
  histogram queue_wait{3};      ///< open loop: how long a due request waited for its connection to be free
  histogram hiccups{3};         ///< how late a 1 ms sleep of a driver thread woke, through the window (the machine's stalls)
  double connections_busy = 0;  ///< fraction of the window the connections had a request in flight
  error_counts errors;
  std::uint64_t reconnects = 0;  ///< connections reopened after the server closed them
  std::vector<second_stats> per_second;
  double driver_cpu_seconds = 0;  ///< user + system of this process during the window
  int threads = 1;
  int connections = 0;
  bool cancelled = false;

  /// Good responses completed inside the window, per second: what the server delivered.
  double throughput_rps() const noexcept { return measured_seconds > 0 ? static_cast<double>(completed) / measured_seconds : 0; }
  /// Errors of every kind inside the window, per second.
  double error_rps() const noexcept { return measured_seconds > 0 ? static_cast<double>(failed) / measured_seconds : 0; }
  /// CPU of the driver per response, microseconds.
  double driver_cpu_us_per_request() const noexcept {
    return all.responses ? driver_cpu_seconds * 1e6 / static_cast<double>(all.responses) : 0;
  }
  /// Fraction of its threads' time the driver was busy; near 1 it measures itself.
  double driver_utilisation() const noexcept {
    return measured_seconds > 0 ? driver_cpu_seconds / (measured_seconds * threads) : 0;
  }
};

/// Live figures, once a second while a run goes on.
struct load_progress {
  double elapsed_seconds = 0;
  double total_seconds = 0;
  bool warming_up = true;
  std::uint64_t responses = 0;  ///< since the start, warm-up included
  std::uint64_t errors = 0;
  double last_second_rps = 0;
  std::uint64_t last_second_p99_ns = 0;  ///< the highest of the threads' p99 over the last second
};

/// A send later than this after its connection was free counts as `late`.
inline constexpr std::chrono::microseconds late_threshold{1'000};

/// Runs the load and returns what it measured. Blocks; calls `progress` from the calling thread.
load_result run_load(load_options const& options, request_mix const& mix,
                     std::function<void(load_progress const&)> const& progress = {});

}  // namespace splitbench::bench

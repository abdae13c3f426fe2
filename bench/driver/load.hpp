#pragma once
/// The load driver: open loop at a constant rate (latency from each request's due time, so
/// coordinated omission is corrected) or closed loop (as fast as the connections allow), over
/// keep-alive HTTP/1.1 connections. Its parts, each in a file of its own:
///
///   pacer.hpp        when each request is due (pure)
///   request_mix.hpp  what each request is (pure, from the seed and its place in the run)
///   timeline.hpp     the warm-up, the measured window and the deadlines after it
///   connection.hpp   a socket and its response parsing, reporting each exchange's end
///   worker.hpp       one thread: its schedule, the dispatch to idle connections, recording
///   result.hpp       what was measured, which histogram holds what, and merge()
///   interval_log.hpp each route's response times per second, for an HdrHistogram interval log
///   hiccup.hpp       the machine's own stalls, measured beside the run
///   output.hpp       the result as JSON and as text; load_json.hpp reads the JSON back
///   schedule.hpp     the global schedule a run (or a shard of it) took part of; shards.hpp merges shards
///   hdr_codec.hpp    HdrHistogram's V2 encoding of the histograms it writes

#include "bench/driver/request_mix.hpp"
#include "bench/driver/result.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace splitbench::bench {

struct load_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 80;
  std::optional<double> rate;  ///< requests per second in all: open loop; none: closed loop
  int connections = 10;
  int threads = 1;
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::chrono::nanoseconds warmup = std::chrono::seconds(2);
  /// For a response, from its send; queued requests of the window are still sent up to one
  /// timeout after it, and answers awaited one more (see timeline.hpp).
  std::chrono::nanoseconds timeout = std::chrono::seconds(2);
  std::uint64_t seed = 1;
  /// Shard `shard` of `shards` (0-based) of the global schedule: sends only its requests
  /// k = shard mod shards, at rate / shards (schedule.hpp). Open loop only.
  std::uint64_t shard = 0, shards = 1;
  /// The wall-clock time (Unix ns) request 0 of the schedule is due, which shards share; none:
  /// as soon as the connections are open. The driver opens them shortly before.
  std::optional<std::int64_t> start_at;
  /// Open loop: when set, each route's requests are also counted in slices of the measured
  /// window this long, by due time (route_result::intervals).
  std::optional<std::chrono::nanoseconds> interval;
  /// Keep each route's response times second by second (load_result::interval_log), for an
  /// HdrHistogram interval log (--hlog).
  bool interval_log = false;
  /// Ask the server for its timing (`X-Splitbench-Timing: 1` on every request) and split each
  /// route's latency into its parts (route_result::timing; breakdown.hpp).
  bool timing = false;
  /// Set from anywhere to end the run early; what was measured is kept, what was due and not
  /// answered is counted as unsent or in flight.
  std::atomic<bool> const* cancel = nullptr;
  /// Called on the calling thread as the measured window starts and as it ends (each once),
  /// to sample what the window should cover, such as the server's CPU time.
  std::function<void()> at_measure_start, at_measure_end;
};

/// Throws a one-line std::invalid_argument for settings that cannot work.
void validate(load_options const& options);

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

/// Runs the load and returns what it measured. Blocks; calls `progress` from the calling thread.
load_result run_load(load_options const& options, request_mix const& mix,
                     std::function<void(load_progress const&)> const& progress = {});

}  // namespace splitbench::bench

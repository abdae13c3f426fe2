#pragma once
/// What each server thread counts of its requests, and the /metrics page made of every thread's
/// counts when it is scraped. Each thread writes only its own counters and histograms (relaxed
/// loads and stores: nothing locked or allocated per request); a scrape, on whichever thread it
/// lands, reads them all and sums them. Internal to the server.

#include "net/latency_histogram.hpp"
#include "net/route_match.hpp"
#include "net/server.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace splitbench::net::detail {

/// A counter written by one thread and read by any: a relaxed load and store, no locked add.
struct counter {
  std::atomic<std::uint64_t> value{0};
  void bump(std::uint64_t by = 1) noexcept { value.store(value.load(std::memory_order_relaxed) + by, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
};

struct thread_counters {
  counter requests, r2xx, r4xx, r5xx, bad_requests, timeouts, accepted, refused;
};

/// How long one thread took to answer, per route: the app's routes by index, the server's own,
/// and what matched no route, by method (a bounded set of labels, whatever the paths).
struct route_timings {
  std::vector<route_label> labels;        ///< the app's, as route_labels() gave them
  std::vector<latency_histogram> routed;  ///< one per label
  latency_histogram health, metrics;
  std::array<latency_histogram, static_cast<std::size_t>(method::other) + 1> unmatched;  ///< by method
};

/// One server thread as a scrape reads it.
struct thread_metrics {
  route_timings const* timings;
  net::app const* application;
};

/// The page: the server's totals, each route's and each peer's histogram summed over threads,
/// and the standard process metrics (CPU, resident memory, start time).
std::string render_metrics(server_stats const& totals, std::vector<thread_metrics> const& threads, double start_time);

}  // namespace splitbench::net::detail

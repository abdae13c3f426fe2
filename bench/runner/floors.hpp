#pragma once
/// The floors the split's cost is set against, measured on the machine at hand: what the
/// kernel's loopback costs for one request-response round trip, and what a call through the
/// seam costs in-process.

#include "bench/driver/histogram.hpp"

#include <chrono>
#include <cstddef>

namespace splitbench::bench {

struct loopback_options {
  std::size_t samples = 5'000;
  double rate = 1'000;                ///< round trips per second, paced as the driver paces
  std::size_t request_bytes = 100;    ///< about the size of a GET /api/products/{id}
  std::size_t response_bytes = 200;   ///< about the size of its answer
};

/// Round trips over a TCP connection on 127.0.0.1 to an echo server in another process (a
/// child, killed when done), each sent at its due time; nanoseconds from send to full reply.
histogram loopback_round_trips(loopback_options const& options);

/// Nanoseconds per storefront::get_product through the in-process bindings, the monolith's
/// path for one service call (mean over `calls`).
double seam_call_ns(std::size_t calls = 1'000'000);

}  // namespace splitbench::bench

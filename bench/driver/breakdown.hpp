#pragma once
/// Where a route's latency went, from the `Server-Timing` its front door answers when the
/// driver asks (load_options::timing; net/server_timing.hpp). Each response that carries one
/// splits its latency, from its due time, into four parts that add up to it exactly:
///
///   queue    the driver waiting for a free connection, and each process's queue before the
///            handler ran (on the critical path)
///   logic    business logic: the flows and the services' own work
///   codec    decoding and encoding bodies, in every process on the critical path
///   framing  the rest: HTTP framing, system calls, the kernel and loopback, on every hop the
///            request took, the driver's own included (what each caller saw minus what its
///            callee reported)
///
/// Each part is a histogram, so a part's p50 is of that part alone; how close the parts' p50s
/// come to the latency's p50 is what the breakdown report checks.

#include "bench/driver/histogram.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace splitbench::bench {

struct timing_breakdown {
  static constexpr std::uint64_t highest = 60'000'000'000ULL;  ///< ns; beyond, a value saturates

  histogram queue{3, highest}, logic{3, highest}, codec{3, highest}, framing{3, highest};
  histogram latency{3, highest};  ///< of the same responses, due time to response
  std::uint64_t missing = 0;      ///< good responses without a valid Server-Timing

  /// Splits one response's latency (ns, from its due time) by its front door's `Server-Timing`
  /// value; `driver_queue_ns`: how long it waited for a free connection. False (and counted
  /// missing) when the value is absent or not valid.
  bool record(std::string_view server_timing, std::uint64_t latency_ns, std::uint64_t driver_queue_ns);

  void merge(timing_breakdown const& other);
};

}  // namespace splitbench::bench

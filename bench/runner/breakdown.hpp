#pragma once
/// The breakdown phase: each deployment driven with its timing asked for (`X-Splitbench-Timing:
/// 1`, net/server_timing.hpp), so that each route's latency splits into queue, business logic,
/// codec and framing (HTTP framing, the kernel and loopback, on every hop). The report
/// (bench/report/breakdown.hpp) compares each deployment's parts with the monolith's: what the
/// split adds, part by part.
///
/// Deployments are named, not assumed: the phase measures whichever are up, and the report
/// compares each with the one named "monolith".

#include "bench/driver/breakdown.hpp"
#include "bench/driver/load.hpp"
#include "bench/driver/request_mix.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// One route of one deployment: the p50 of its latency and of each of its parts, microseconds,
/// over the good responses that carried a Server-Timing.
struct breakdown_route {
  std::string name;
  std::uint64_t responses = 0;
  std::uint64_t missing = 0;  ///< good responses without a valid Server-Timing
  double latency_us = 0, queue_us = 0, logic_us = 0, codec_us = 0, framing_us = 0;
};

struct breakdown_deployment {
  std::string name;  ///< monolith, split, or any topology's name
  std::vector<breakdown_route> routes;
};

/// What the phase measured: every deployment at one rate, timing on.
struct breakdown_measurement {
  double rate = 0;     ///< requests per second, open loop
  double seconds = 0;  ///< measured time of each deployment, its windows together
  int rounds = 1;      ///< windows of each deployment, the deployments taking turns; merged per deployment
  std::vector<breakdown_deployment> deployments;
};

/// A route's p50s from what the driver recorded of it.
breakdown_route breakdown_of(std::string name, timing_breakdown const& b);

/// One deployment to drive: its name, front door and workload.
struct breakdown_subject {
  std::string name;
  std::string host;
  std::uint16_t port = 0;
  request_mix const* mix = nullptr;
};

/// Drives the subjects in `rounds` rounds of `load`'s window split evenly, taking turns in forward,
/// then reverse order, so that the machine's drift over the phase falls on every deployment alike;
/// each deployment's rounds are merged, histogram by histogram. The host, port and timing are set
/// here; `around(name, run)` wraps each run for progress. A cancelled run keeps what finished.
breakdown_measurement measure_breakdown(std::vector<breakdown_subject> const& subjects, load_options load, int rounds = 4,
                                        std::function<load_result(std::string const& name, std::function<load_result()> const& run)> const& around = {});

}  // namespace splitbench::bench

#pragma once
/// Deployments splitbench did not start: a cluster's, or processes started elsewhere. `run
/// --target split=http://10.0.0.7:8080` measures the front door at that URL with the same phases
/// and report; what the runner reads of processes it started (CPU, memory) it reads instead from
/// each process's Prometheus endpoint (`--metrics split=URL,URL,...`) at the window's edges.

#include "bench/driver/histogram.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::bench {

/// One deployment at an address: its name (monolith or split), its front door, and the /metrics
/// of each of its processes (none: CPU and memory are not measured).
struct target_spec {
  std::string name;
  std::string address;               ///< HOST:PORT, an IPv4 address once resolved
  std::string url;                   ///< as given
  std::vector<std::string> metrics;  ///< HOST:PORT of each process's /metrics
};

/// "NAME=URL", URL `http://HOST:PORT` with an optional trailing `/`; HOST a name is resolved to
/// an IPv4 address now. Throws cli::usage_error, one line naming what is wrong.
target_spec parse_target(std::string_view text);

/// Each of `targets` ("NAME=URL") with each of `metrics` ("NAME=URL[,URL...]") given to its
/// target; a name given twice, a name other than monolith or split, metrics of no target are
/// usage errors.
std::vector<target_spec> parse_targets(std::vector<std::string> const& targets, std::vector<std::string> const& metrics);

/// What one process's /metrics says of it, read through the standard process collector's names.
struct process_sample {
  double cpu_seconds = 0;             ///< process_cpu_seconds_total
  std::uint64_t resident_bytes = 0;   ///< process_resident_memory_bytes
};

/// The process sample in a Prometheus text exposition; nothing if either figure is missing.
std::optional<process_sample> parse_process_sample(std::string_view exposition);

/// GET /metrics of the process at `address` (HOST:PORT), parsed; nothing if it did not answer.
std::optional<process_sample> scrape_process(std::string const& address);

/// Round trips of `GET /health` on one keep-alive connection to `address`, one at a time, at most
/// `samples` and for at most 2 s: nanoseconds from send to the whole answer. The floor a remote deployment's latency stands
/// on: the network's round trip plus the least an HTTP answer costs there. Throws
/// std::runtime_error if the connection cannot be made, breaks, or an answer takes over 2 s.
histogram health_round_trips(std::string const& address, std::size_t samples);

}  // namespace splitbench::bench

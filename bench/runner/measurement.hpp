#pragma once
/// What `splitbench run` measured, as data: the runner fills these structs, its decisions read
/// their fields, and the reporters (JSON, Markdown, terminal) render them at the edge, as
/// Google Benchmark's RunResults feed its reporters. Nothing here is text to be parsed again.

#include "bench/driver/histogram.hpp"
#include "bench/driver/load.hpp"
#include "bench/runner/breakdown.hpp"
#include "bench/runner/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

/// A latency histogram's figures, in microseconds, with the histogram itself kept exactly
/// (encoded) so that repetitions can be merged later.
struct latency_summary {
  std::uint64_t count = 0;
  double min = 0, mean = 0, stddev = 0, p50 = 0, p75 = 0, p90 = 0, p99 = 0, p999 = 0, p9999 = 0, max = 0;
  static latency_summary of(histogram const& h);
};

/// One route of one load run.
struct route_measurement {
  std::string name;               ///< product, search, quote, order
  int depth = 1;                  ///< internal calls in sequence on the split's critical path
  int calls = 1;                  ///< internal calls in all
  std::uint64_t responses = 0;    ///< completed with status < 400 in the window
  std::uint64_t errors = 0;       ///< status >= 400 and failures
  latency_summary latency;        ///< from due time, failures included at the time they failed
  latency_summary service_time;   ///< from the actual send
  std::string histogram;          ///< `latency`'s histogram in HdrHistogram's V2 encoding (older reports: hist1 text); V2 has no mean or exact min and max: `latency` has them
};

/// CPU time one process of a deployment spent inside the measured window.
struct process_cpu {
  std::string name;
  double seconds = 0;
};

/// One load run against one deployment: a repetition of the compare phase or a sweep attempt.
struct run_measurement {
  double rate = 0;                 ///< asked, requests per second
  double seconds = 0;              ///< the measured window
  double throughput_rps = 0;       ///< good responses completed in the window / seconds
  double error_rps = 0;            ///< errors in the window / seconds
  std::uint64_t requests = 0;      ///< due in the window
  std::uint64_t responses = 0;     ///< good responses to them
  std::uint64_t errors = 0;        ///< every kind, connect included
  std::uint64_t timeouts = 0;
  std::uint64_t unsent = 0;        ///< due in the window, never sent
  std::uint64_t late = 0;          ///< sent late by the driver itself
  std::uint64_t in_flight_at_end = 0;
  double error_rate = 0;           ///< (errors + unsent) / requests
  latency_summary latency;         ///< every request due in the window, failures at the time they failed
  latency_summary good_latency;    ///< responses with status < 400 only
  latency_summary service_time;
  latency_summary send_lag;        ///< the driver's own lateness once a connection was free
  latency_summary queue_wait;      ///< due time to a free connection
  latency_summary hiccups;         ///< the machine's: how late a 1 ms sleep woke
  std::string histogram;           ///< `latency`'s histogram in HdrHistogram's V2 encoding (older reports: hist1 text); V2 has no mean or exact min and max: `latency` has them
  std::vector<route_measurement> routes;
  std::vector<process_cpu> cpu;    ///< per process of the deployment
  double cpu_seconds_total = 0;
  double cpu_us_per_request = 0;   ///< per good response
  double driver_utilisation = 0;   ///< of its threads; near 1 it measures itself
  double connections_busy = 0;     ///< fraction of the window the connections were in use
  std::vector<std::string> warnings;
  bool cancelled = false;

  /// The driver could not drive this rate: its figures describe the driver, not the deployment.
  bool driver_saturated() const noexcept { return driver_utilisation > 0.9; }
};

/// How a sweep step was decided.
enum class step_outcome { passed, failed, inconclusive };
std::string_view name_of(step_outcome o) noexcept;

/// One rate of the sweep: one attempt, or two when the first failed and was tested again (the
/// verdict then reads both windows merged, so that one stall of the machine does not end a sweep).
struct sweep_step {
  double rate = 0;
  std::vector<run_measurement> attempts;
  step_outcome outcome = step_outcome::failed;
  double p99_us = 0;        ///< of the attempts merged: what the SLO was checked against
  double error_rate = 0;    ///< of the attempts together
  double throughput_rps = 0;
  std::string reason;       ///< why it failed or was inconclusive; empty when it passed
};

/// The highest rate that passed and the lowest that failed, within 10% of each other when the
/// sweep found both; `high` is empty when no step failed (the capacity is at least `low`).
struct capacity_bounds {
  double low = 0;
  std::optional<double> high;
};

/// One slice of a route's timeline in a fault run (by due time; see interval_stats).
struct slice_figures {
  double start_s = 0;  ///< from the start of the measured window
  std::uint64_t due = 0, good = 0, client_errors = 0, server_errors = 0, timeouts = 0, connection_errors = 0, unanswered = 0;
  double p50_us = 0, p99_us = 0;  ///< from due time, failures included at the time they failed
};

/// A process the supervisor restarted during a fault run, in seconds from the window's start.
struct restart_record {
  std::string process;
  double exit_s = 0;                  ///< when it was found to have exited
  std::string how;                    ///< "killed by signal 9", "exited with status 0"
  std::optional<double> spawn_s;      ///< when it was started again; none: it was not (restart never, or the run ended)
  std::optional<double> listening_s;  ///< when it reported its address
  std::optional<double> ready_s;      ///< when it answered /health
  std::optional<double> first_good_s; ///< the first slice after the restart in which a route using it answered well
};

/// What a fault did to one route of one deployment (see bench/faults/impact.hpp).
struct fault_route {
  std::string name;
  bool uses_target = false;            ///< the target is on the route's call graph in the split
  double availability = 1;             ///< good answers / due, over the fault window
  double p99_during_us = 0;
  double pre_fault_p99_us = 0;
  std::optional<double> time_to_detect_s;
  double outage_s = 0;
  std::optional<double> time_to_recover_s;  ///< none: not back to its pre-fault p99 and answers before the run ended
  std::optional<double> time_to_available_s;  ///< none: not answering well again before the run ended
  bool broken = false;                 ///< in the blast radius: availability < 99% or p99 during above the SLO
  std::uint64_t status_5xx = 0, timeouts = 0, connection_errors = 0;  ///< during the fault window
  std::vector<slice_figures> timeline;
};

/// One fault run against one deployment: load at a fixed rate, the fault acting inside it.
struct fault_measurement {
  std::string spec;                    ///< as the command line writes it, e.g. "pricing:kill@4s/2s"
  std::string service, kind;
  double at_s = 0;
  std::optional<double> for_s;
  double window_end_s = 0;             ///< the fault over: its length elapsed, or the restart ready
  std::string process;                 ///< the process it acted on: the service's, or "monolith"
  bool restart = true;                 ///< the supervisor's policy in this run (always / never)
  double rate = 0;                     ///< requests per second, open loop
  double seconds = 0;                  ///< the measured window
  double slice_s = 0.25;
  std::vector<restart_record> restarts;
  std::vector<fault_route> routes;
  std::vector<std::string> blast_radius;  ///< routes broken
  std::vector<std::string> call_graph;    ///< routes whose split call graph contains the target
  std::vector<std::string> warnings;
};

/// A process of a deployment and what it cost.
struct process_info {
  std::string name;
  std::string address;
  std::uint64_t peak_rss_bytes = 0;
};

/// One deployment with `replicas` of the scaled process, every process held to the same CPU per
/// replica, swept to its capacity.
struct scaling_point {
  int replicas = 1;
  double cores = 0;                           ///< CPU allotted: the sum of every process's limit
  std::vector<sweep_step> sweep;
  std::optional<capacity_bounds> capacity;
  double cores_used = 0;                      ///< at the highest step that passed: CPU seconds of all processes per second
  std::uint64_t peak_rss_bytes = 0;           ///< all processes
  std::vector<std::uint64_t> replica_requests;  ///< requests each replica of the scaled process served during the sweep
};

struct scaling_measurement {
  std::string process;           ///< the process replicated: monolith, or a service of the split
  double cores_per_replica = 0;
  double rate = 0;               ///< the rate the report gives the cores needed for
  std::vector<scaling_point> points;
};

/// One network round trip between the split's processes: the split started again with half of it
/// added to each direction of every call to a peer, its compare windows paired with the
/// monolith's (repetition i of each ran side by side, in ABBA order), then swept.
struct distance_point {
  double round_trip_us = 0;
  std::vector<run_measurement> monolith, split;  ///< counted repetitions, paired by index
  std::vector<sweep_step> sweep;                 ///< the split's, in the order they ran
  std::optional<capacity_bounds> capacity;       ///< the split's throughput at the SLO; empty: not swept, or nothing passed
};

/// The distance phase: the split at each round trip against the monolith, which has no distance
/// between processes and so was started once, measured beside every point and swept once.
struct distance_measurement {
  std::vector<distance_point> points;
  std::vector<sweep_step> monolith_sweep;
  std::optional<capacity_bounds> monolith_capacity;
  std::optional<double> sweep_cpu_budget;  ///< cores each side was held to while swept; empty: none
};

/// One hop of the split that a payload step's request crosses, and the bytes of the bodies each
/// way for that request, as the split's codec writes them (HTTP headers not counted).
struct payload_hop {
  std::string name;  ///< the callee and its endpoint: "catalog /internal/search"
  std::uint64_t request_bytes = 0, response_bytes = 0;
};

/// One deployment's windows at a payload step: repetition i of every deployment ran in the same
/// round, the rounds in ABBA order, so each pairs with the monolith's repetition i.
struct payload_runs {
  std::string deployment;
  std::vector<run_measurement> runs;
};

/// One size of one payload sweep: the same request sent again and again, so that the bytes on
/// every hop are known exactly, and each deployment's windows at it.
struct payload_step {
  std::string sweep;               ///< "response" (the search's limit) or "request" (the quote's lines)
  int size = 0;                    ///< the limit, or the lines
  std::string request;             ///< what was sent: "GET /api/products?q=lamp&limit=20", "POST /api/quote (20 lines)"
  std::vector<payload_hop> hops;
  std::uint64_t hop_bytes = 0;     ///< every hop's request and response bodies together, per request
  std::vector<payload_runs> deployments;
};

/// The payload phase: the deployments of the main phases, after them, at each size of each sweep.
struct payload_measurement {
  double rate = 0;                 ///< requests per second, open loop
  std::vector<payload_step> steps; ///< the response sweep's, then the request sweep's, each rising
};

/// Everything measured of one deployment.
struct deployment_measurement {
  std::string name;                        ///< monolith, split
  std::vector<process_info> processes;     ///< the front door last
  std::vector<run_measurement> warmup;     ///< the discarded first repetition
  std::vector<run_measurement> compare;    ///< one per counted repetition, in order
  std::vector<int> compare_order;          ///< each repetition's place in the run's sequence (ABBA)
  std::vector<sweep_step> sweep;           ///< in the order they ran
  std::optional<capacity_bounds> capacity; ///< empty: not swept, or nothing passed
  std::optional<double> sweep_cpu_budget;  ///< cores the whole deployment was held to while swept; empty: none
  std::vector<fault_measurement> faults;   ///< one per fault of the scenario, in order
  std::optional<scaling_measurement> scaling;  ///< when the scenario scales
  std::uint64_t peak_rss_bytes = 0;        ///< all processes
  std::optional<std::string> failure;      ///< how a process died, with its log's tail
  std::optional<std::string> target;       ///< the URL measured, for a deployment not started here
  /// False for a target with no /metrics given: its CPU and memory are unknown, not zero.
  bool resources_measured = true;
};

/// The floors measured in the same run.
struct floors_measurement {
  latency_summary loopback_rtt;  ///< a TCP round trip on 127.0.0.1 to another process
  double seam_call_ns = 0;       ///< one in-process call through the seam
  /// For deployments not started here: GET /health round trips to the first target's front
  /// door, the network's round trip and the least an answer costs there.
  std::optional<latency_summary> target_rtt;
  std::string target;  ///< HOST:PORT those round trips went to
};

struct machine_description {
  std::string cpu_model, kernel;
  int cores = 0;
  std::uint64_t memory_bytes = 0;
};

struct build_description {
  std::string compiler, build_type, commit;
  bool dirty = false;
};

/// What a scenario said, as the report records it.
struct scenario_description {
  std::string name, source, toml;
  double slo_p99_us = 0;
  std::optional<double> sweep_max;
  double max_error_rate = 0;
  std::vector<std::string> inject_latency;
  std::vector<std::string> faults;  ///< as the command line writes them
  double gate_threshold = 0.1;  ///< the smallest change `compare` calls a regression, by default
};

/// One load run's result as the report keeps it; `kinds` names each route of the mix, in order.
run_measurement measurement_of(load_result const& r, double rate, std::vector<route_kind> const& kinds, std::vector<process_cpu> cpu);

/// A whole run.
struct run_result {
  std::string id, created;
  bool partial = false;
  machine_description machine;
  build_description build;
  scenario_description scenario;
  floors_measurement floors;
  /// Where the processes talked: "loopback", or netns with each host's address and the links' limit.
  std::string network = "loopback";
  std::vector<deployment_measurement> deployments;
  std::optional<distance_measurement> distance;  ///< when the scenario measures distance
  std::optional<payload_measurement> payload;    ///< when the scenario measures payload sizes
  std::optional<breakdown_measurement> breakdown;  ///< when the scenario asks for the breakdown (runner/breakdown.hpp)
  std::vector<std::string> warnings;

  deployment_measurement const* find(std::string_view name) const noexcept {
    for (auto const& d : deployments)
      if (d.name == name) return &d;
    return nullptr;
  }
};

}  // namespace splitbench::bench

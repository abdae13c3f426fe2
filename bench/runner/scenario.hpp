#pragma once
/// A scenario: what `splitbench run` measures and how. Read from TOML (bench/scenarios/*.toml);
/// every field has a default, and the defaults are the `default` scenario.

#include "bench/driver/load.hpp"
#include "bench/faults/fault.hpp"
#include "bench/runner/deployment.hpp"

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace splitbench::bench {

/// A scenario that cannot be used; the message names the file, line and key.
struct scenario_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The public routes a workload mixes, each with its seeded request generator.
enum class route_kind { product, search, quote, order };
inline constexpr route_kind all_routes[] = {route_kind::product, route_kind::search, route_kind::quote, route_kind::order};
std::string_view name_of(route_kind r) noexcept;

/// Internal calls on a route's critical path in the split (hops in sequence; concurrent calls
/// count once) and internal calls in all.
int hops_of(route_kind r) noexcept;
int calls_of(route_kind r) noexcept;

/// Whether the route's call graph in the split contains `service` (the gateway's contains all).
bool route_uses(route_kind r, std::string_view service) noexcept;

struct scenario {
  std::string name = "default";
  std::string description = "Monolith and split side by side: latency at a fixed rate, then a sweep to the SLO.";
  std::string source = "built-in";  ///< the file it came from
  std::vector<topology> deployments{topology::monolith(), topology::split()};
  std::uint64_t seed = 42;
  int repetitions = 10;                     ///< of the compare phase, paired in ABBA order after one warm-up each
  std::vector<std::string> inject_latency;  ///< SERVICE=DURATION, passed to every process
  int deployment_threads = 1;               ///< threads of each deployment process
  std::vector<std::string> cpu_limits;      ///< SERVICE=CORES: that process (each replica) in a limited cgroup of its own
  std::vector<std::string> replicas;        ///< SERVICE=N: that process run N times (deployment.hpp's replica_spec)
  std::string balance = "p2c";              ///< how the split's callers pick a replica: rr or p2c
  /// Where the processes talk: "loopback" (127.0.0.1, one TCP stack), or "netns": each process,
  /// and the driver, on a host of its own (os/netns.hpp), every hop crossing a veth pair, a bridge
  /// and a second TCP stack. Needs root.
  std::string network = "loopback";
  std::string network_bandwidth;            ///< with netns: every link held to this rate by tbf (tc's form, 1gbit); empty: none
  /// A one-way delay (net/delay_distribution.hpp) the split's callers add to each direction of
  /// every call to a peer, on timers: a network's distance between its processes. Empty: none.
  std::string network_delay;
  // [deployment] resilience of the split's calls to a peer (net/resilience.hpp)
  std::chrono::nanoseconds peer_timeout = std::chrono::seconds(1);  ///< 504 beyond it
  int peer_retries = 0;                     ///< retries of a failed call that is safe to repeat
  double retry_budget = 0.1;                ///< retries per call, at most
  int breaker_failures = 0;                 ///< failures in a row that open a breaker; 0: none
  std::chrono::nanoseconds breaker_open = std::chrono::seconds(1);

  /// The split's processes' arguments for the above.
  std::vector<std::string> split_args() const;

  // [driver]
  int driver_threads = 1;
  int connections = 8;
  std::chrono::nanoseconds timeout = std::chrono::seconds(2);
  std::chrono::nanoseconds warmup = std::chrono::milliseconds(500);

  // [workload]: relative weights of the routes
  double weight_product = 50, weight_search = 20, weight_quote = 20, weight_order = 10;

  // [compare]: latency and CPU per request at one fixed rate both deployments sustain
  double compare_rate = 500;
  std::chrono::nanoseconds compare_duration = std::chrono::milliseconds(1500);

  // [sweep]: raise the rate until p99 passes the SLO or errors appear
  bool sweep = true;
  double sweep_start = 1'000;
  double sweep_factor = 1.5;
  double sweep_max = 40'000;
  std::chrono::nanoseconds sweep_duration = std::chrono::seconds(2);
  std::chrono::nanoseconds slo_p99 = std::chrono::milliseconds(10);
  double max_error_rate = 0.001;
  /// Cores each whole deployment is held to while it is swept: one control group for all its
  /// processes, in the shortest CFS period the kernel allows (os::shortest_cpu_period), so that
  /// both sides get the same CPU and the driver the rest of the machine; 0: none, the machine's.
  double sweep_cpu_budget = 0.5;

  // [scaling]: throughput at the SLO as replicas are added, every process held to the same CPU
  // per replica: the monolith's replicas, and the split's replicas of its busiest service
  bool scaling = false;
  std::vector<int> scaling_replicas{1, 2, 4};  ///< from 1, rising
  double scaling_cores = 0.25;                 ///< each process's CPU limit, every replica's
  std::string scaling_service = "auto";        ///< the service whose process each deployment replicates; auto: its process that spent the most CPU in the compare phase
  double scaling_rate = 4'000;                 ///< the rate "cores needed" is given for

  // [distance]: what the split costs as its processes move apart: the split started again at each
  // network round trip (half of it added to each direction of every call to a peer), its compare
  // windows paired with the monolith's in ABBA order, and each swept to its throughput at the SLO
  bool distance = false;
  std::vector<std::chrono::nanoseconds> distance_round_trips{std::chrono::nanoseconds(0), std::chrono::microseconds(50),
                                                             std::chrono::microseconds(200), std::chrono::milliseconds(1),
                                                             std::chrono::milliseconds(5)};  ///< from 0 or more, rising
  int distance_repetitions = 4;  ///< paired compare windows per round trip, at compare.rate
  bool distance_sweep = true;    ///< each round trip's split (and the monolith once) swept with [sweep]'s settings and CPU budget

  // [payload]: what the split adds as the bodies crossing its hops grow (bench/runner/payload.hpp):
  // the search at each limit, the quote at each number of lines, every deployment's windows at
  // each step in ABBA order, after the other phases and on the same processes
  bool payload = false;
  std::vector<int> payload_limits{1, 2, 5, 10, 20, 50, 100};  ///< the search's limit, 1..100, rising; empty: no response sweep
  std::vector<int> payload_lines{1, 2, 5, 10, 20, 50};        ///< the quote's lines, 1..50, rising; empty: no request sweep
  int payload_repetitions = 4;                                  ///< windows per deployment at each step
  double payload_rate = 500;
  std::chrono::nanoseconds payload_duration = std::chrono::seconds(1);
  // [breakdown]: each deployment driven with its Server-Timing asked for, each route's latency
  // split into queueing, business logic, codec and framing (bench/runner/breakdown.hpp)
  bool breakdown = false;
  double breakdown_rate = 0;  ///< requests per second; 0: compare.rate
  std::chrono::nanoseconds breakdown_duration = std::chrono::seconds(5);  ///< each deployment's measured window

  // [faults] and [[fault]]: each fault acts inside a run of its own against each deployment, at a
  // fixed rate, with a supervisor restarting what dies (see bench/faults/fault.hpp)
  std::vector<fault> faults;
  double fault_rate = 500;
  std::chrono::nanoseconds fault_duration = std::chrono::seconds(12);
  std::chrono::nanoseconds fault_slice = std::chrono::milliseconds(250);
  bool fault_restart = true;  ///< restart = "always" | "never"

  // [gate]: what `compare` calls a regression by default, for reports of this scenario
  double gate_threshold = 1.0;

  double weight_of(route_kind r) const noexcept;

  /// The driver's settings for one load run of this scenario at `rate` for `duration`.
  load_options load_at(double rate, std::chrono::nanoseconds duration) const;

  /// The driver's settings for a fault run: at the fault rate, timelines in slices, and a
  /// connection for every request that may be waiting at once (the rate times the timeout, and a
  /// fifth more), so that no request queues in the driver behind a stalled one.
  load_options fault_load() const;

  friend bool operator==(scenario const&, scenario const&) = default;
};

/// Reads a scenario file (empty path: the built-in default) and applies `overrides`
/// ("compare.rate=800", "sweep.enabled=false", ...). Throws scenario_error.
scenario load_scenario(std::string const& path, std::vector<std::string> const& overrides = {});

/// Reads a scenario from TOML text, as a report records it; `where` names it in errors.
scenario parse_scenario(std::string const& toml, std::string const& where);

/// Throws scenario_error, naming `where`, for a scenario that cannot run; load_scenario calls it,
/// and so does a command that changes a scenario after loading it.
void check_scenario(scenario const& s, std::string const& where);

/// The scenario as TOML, every field written out: what the report records as run.
std::string to_toml(scenario const& s);

}  // namespace splitbench::bench

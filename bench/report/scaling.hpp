#pragma once
/// The scaling measurements in report.md: per deployment and replica count, throughput at the
/// SLO against the cores allotted, the efficiency of the added replicas, memory per added
/// replica, how evenly the replicas were loaded, and the cores needed for a rate. Only the run's
/// figures are read.

#include "bench/runner/measurement.hpp"

#include <optional>
#include <string>

namespace splitbench::bench {

/// X(n) / (n · X(1)), from the highest rates that passed; empty without both.
std::optional<double> scaling_efficiency(scaling_measurement const& s, scaling_point const& p);

/// The most requests a replica served over the mean of them: 1 is perfectly even; empty for one replica.
std::optional<double> replica_balance(scaling_point const& p);

/// (memory with n replicas − memory with one) / (n − 1); empty for one replica.
std::optional<double> memory_per_added_replica(scaling_measurement const& s, scaling_point const& p);

/// The fewest cores allotted among the points that served `s.rate` within the SLO; empty when none did.
std::optional<double> cores_needed(scaling_measurement const& s);

/// The "## Scaling" section of report.md; empty when the run did not scale.
std::string scaling_markdown(run_result const& run);

}  // namespace splitbench::bench

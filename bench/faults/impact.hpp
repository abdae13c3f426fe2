#pragma once
/// What a fault did to a route, read from the route's timeline: the measured window in slices by
/// due time (load_options::interval), each slice's requests with their outcomes and latency.
/// Pure arithmetic on counts and histograms, so that every figure can be checked on a timeline
/// made by hand.
///
/// A slice is healthy when at least 99.9% of its requests were answered well (status < 400, in
/// time) and its p99 is at most 1.2x the route's p99 before the fault, taken like with like: a
/// slice's p99 of a few dozen requests is a noisy figure, so it is held to 1.2x the highest slice
/// p99 before the fault (the SLO when the fault starts with the window). A slice nothing fell
/// due in is healthy.
///
///   availability     good answers / requests due, over the slices the fault window touches
///   p99_during       of those slices' requests merged, failures at the time they failed
///   time to detect   from the fault's start to the start of the first unhealthy slice after it
///                    (to within a slice; 0 when that slice began before the fault)
///   outage           the unhealthy slices from the fault's start until the window has passed
///                    and the route answers well again, in seconds
///   time to recover  from the fault window's end to the first of 3 healthy slices in a row;
///                    none when the run ended first
///   time to available  the same, with answers alone: the first of 3 slices in a row with at
///                    least 99.9% answered well, whatever their latency
///   broken           availability under 99% or p99 during above the SLO: in the blast radius

#include "bench/driver/result.hpp"

#include <optional>
#include <vector>

namespace splitbench::bench {

/// When a fault acted, in seconds from the start of the measured window. `end_s` is when it was
/// over: its length elapsed, or the process it stopped restarted and ready, whichever is later.
struct fault_window {
  double at_s = 0;
  double end_s = 0;
};

struct route_impact {
  double availability = 1;
  double p99_during_us = 0;
  double pre_fault_p99_us = 0;               ///< of every request before the fault, merged
  double healthy_p99_limit_us = 0;           ///< what a slice's p99 may be and still be healthy
  std::optional<double> time_to_detect_s;    ///< none: no slice turned unhealthy
  double outage_s = 0;
  std::optional<double> time_to_recover_s;   ///< none: not healthy again before the run ended
  std::optional<double> time_to_available_s; ///< none: not answering well again before the run ended
  bool broken = false;
};

/// How many healthy slices in a row mean recovered.
inline constexpr int healthy_in_a_row = 3;

/// The impact on one route of a fault acting in `w`, from its timeline of `slice_s`-second slices.
route_impact impact_of(std::vector<interval_stats> const& slices, double slice_s, fault_window w, double slo_p99_us);

}  // namespace splitbench::bench

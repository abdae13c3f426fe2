#pragma once
/// Where a long run is: on a terminal one live line with the phase, the step and an estimate of
/// the time left; off a terminal (CI, pipes) one plain line per step.

#include "bench/driver/load.hpp"

#include <chrono>
#include <string>

namespace splitbench::bench {

class progress_printer {
 public:
  explicit progress_printer(bool terminal) : terminal_(terminal), started_(std::chrono::steady_clock::now()) {}

  /// How much load is still planned, in seconds of load runs; the estimate of the time left
  /// scales it by how long the run has taken per planned second so far.
  void plan(double seconds_left) { planned_left_ = seconds_left; }
  void spent(double seconds) {
    planned_done_ += seconds;
    planned_left_ = std::max(0.0, planned_left_ - seconds);
  }

  void start(std::string label);
  void live(load_progress const& p);
  void done(std::string const& summary);

 private:
  std::string eta() const;

  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  double planned_left_ = 0, planned_done_ = 0;
  std::string label_;
};

}  // namespace splitbench::bench

#pragma once
/// The scenario the fault system tests run their fault runs with: a rate and a peer timeout
/// within reach of the sanitizer builds on two cores.

#include "bench/runner/scenario.hpp"

#include <chrono>

namespace splitbench::testing {

inline bench::scenario fault_scenario() {
  using namespace std::chrono_literals;
  bench::scenario s;
  s.fault_rate = 200;
  s.fault_duration = 6s;
  s.warmup = 500ms;
  s.connections = 8;
  s.peer_timeout = 300ms;
  return s;
}

}  // namespace splitbench::testing

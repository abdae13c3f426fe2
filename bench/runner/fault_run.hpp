#pragma once
/// The faults phase of `splitbench run`: one load run per fault and deployment, at a fixed rate,
/// with the fault acting inside its measured window and a supervisor restarting what dies.
///
/// The supervisor polls the deployment's processes every 2 ms. A process found dead is started
/// again on its own address after a back-off of 100 ms, doubling with each restart of the same
/// process in the run up to 2 s, and not before a kill's or term's FOR has passed. Each restart
/// is recorded: exit, spawn, listening, ready (answers /health), first good answer. With restart
/// "never", dead processes stay down for the rest of the window and are started again after it,
/// outside the measurement, so that later phases find the deployment whole.
///
/// The driver (scenario::fault_load) opens a connection for every request that may be waiting at once: the rate times
/// the timeout, and more. Users do not queue behind each other's stalled requests, so neither
/// may the driver: with the scenario's few connections, requests due during a hang would wait
/// for a free connection and be answered after it, and the split's fast 504s would look like the
/// monolith's stall.

#include "bench/runner/deployment.hpp"
#include "bench/runner/measurement.hpp"
#include "bench/runner/scenario.hpp"

#include <atomic>
#include <functional>

namespace splitbench::bench {

/// One fault against one deployment under the scenario's fault load. `progress` gets the
/// driver's live figures. Throws std::runtime_error when a process cannot be restarted after
/// the window.
fault_measurement run_fault(deployment& d, topology const& kind, request_mix const& mix, scenario const& s, fault const& f,
                            std::atomic<bool> const* cancel, std::function<void(load_progress const&)> const& progress);

}  // namespace splitbench::bench

#pragma once
/// The faults a running process can be told to have: one switch per service it runs, set and
/// cleared from any thread (the admin endpoint, host/admin.hpp) and read by every thread's
/// bindings on each call (host/fault_gate.hpp). A switch that is off costs its readers one atomic
/// load, so a process started with --admin measures as one without it.

#include "host/fault_action.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::host {

/// The fault of one service: off, or an action in force.
class fault_switch {
 public:
  explicit fault_switch(std::string service) : service_(std::move(service)) {}
  fault_switch(fault_switch const&) = delete;
  fault_switch& operator=(fault_switch const&) = delete;

  std::string const& service() const noexcept { return service_; }

  /// Whether an action may be in force: one atomic load, what every call pays while it is off.
  bool on() const noexcept { return on_.load(std::memory_order_acquire); }

  /// The action in force, or null; safe from any thread.
  std::shared_ptr<fault_action const> current() const noexcept {
    if (!on()) return nullptr;
    return action_.load(std::memory_order_acquire);
  }

  /// Puts `action` in force, in place of any other; calls already under way keep the one they saw.
  void set(fault_action action);

  /// Switches the fault off.
  void clear();

 private:
  std::string service_;
  std::atomic<bool> on_{false};
  std::atomic<std::shared_ptr<fault_action const>> action_;
  std::mutex writing_;  ///< set and clear one at a time, so on_ and action_ agree once they return
};

/// The switches of one process, one per service it runs: all four in the monolith, one in a
/// split service, none in the gateway or in any process started without --admin.
class fault_board {
 public:
  /// No switches: every binding stays as it is.
  fault_board() = default;
  /// A switch for each of `services`; `seed` makes the draws of each thread repeatable.
  explicit fault_board(std::vector<std::string> const& services, std::uint64_t seed = 1);
  fault_board(fault_board const&) = delete;
  fault_board& operator=(fault_board const&) = delete;

  /// The switch of `service`, or null when this process does not run it.
  fault_switch* find(std::string_view service) const noexcept;

  /// Every switch, in the order the services were given.
  std::vector<std::unique_ptr<fault_switch>> const& switches() const noexcept { return switches_; }

  /// A seed for one thread's draws: a different one each call, the same sequence each run.
  std::uint64_t next_seed() noexcept;

 private:
  std::vector<std::unique_ptr<fault_switch>> switches_;
  std::uint64_t seed_ = 1;
  std::atomic<std::uint64_t> handed_out_{0};
};

}  // namespace splitbench::host

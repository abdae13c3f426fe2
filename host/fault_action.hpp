#pragma once
/// What an in-process fault does to each call of a service while it is switched on: answer later
/// (slow) or fail with a status (error), on every call or on a fraction of them. Pure: no clock,
/// no I/O, no Asio, so the runner that schedules faults links it as cheaply as the processes that
/// apply them (host/fault_switch.hpp) and the admin endpoint that reads them (host/admin.hpp).
///
///   slow=2ms                     every call 2 ms later
///   slow=uniform(1ms,3ms):0.25   a quarter of the calls, each 1 to 3 ms later
///   slow=normal(2ms,500us)       mean 2 ms, standard deviation 0.5 ms, never below 0
///   slow=lognormal(2ms,0.5)      median 2 ms, sigma 0.5 of the underlying normal: a long tail
///   error=0.05:500               5% of the calls fail with 500
///   error=1:503                  every call fails with 503
///
/// text() writes the spelling the parser reads back to an equal value.

#include "net/delay_distribution.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <variant>

namespace splitbench::host {

using net::delay_distribution;
using net::parse_distribution;

enum class action_kind { slow, error };

/// "slow" or "error".
std::string_view name_of(action_kind kind) noexcept;

/// What a fault does to the calls of one service.
struct fault_action {
  action_kind kind = action_kind::slow;
  delay_distribution delay;  ///< slow: what each affected call waits
  double fraction = 1;       ///< of the calls affected, in (0, 1]
  unsigned status = 500;     ///< error: the HTTP status affected calls answer, 400..599

  /// "slow=lognormal(2ms,0.5)", "slow=2ms:0.1", "error=0.05:500".
  std::string text() const;

  friend bool operator==(fault_action const&, fault_action const&) = default;
};

/// Parses "slow=DISTRIBUTION[:FRACTION]" or "error=FRACTION[:STATUS]" (STATUS 500 when left out);
/// throws std::invalid_argument saying what is wrong and what would be right.
fault_action parse_fault_action(std::string_view text);

}  // namespace splitbench::host

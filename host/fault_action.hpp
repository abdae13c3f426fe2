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

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <variant>

namespace splitbench::host {

/// A delay drawn from a distribution, per call. (The shapes' members have no initializers, so that
/// the variant can be default-constructed inside this class; value-initialized, they are 0.)
struct delay_distribution {
  /// Always the same delay.
  struct fixed {
    std::chrono::nanoseconds delay;
    friend bool operator==(fixed const&, fixed const&) = default;
  };
  /// Evenly between two bounds, both included.
  struct uniform {
    std::chrono::nanoseconds low, high;
    friend bool operator==(uniform const&, uniform const&) = default;
  };
  /// A normal distribution; a negative draw counts as no delay.
  struct normal {
    std::chrono::nanoseconds mean, stddev;
    friend bool operator==(normal const&, normal const&) = default;
  };
  /// exp of a normal: half the draws below `median`, a tail that grows with `sigma`.
  struct lognormal {
    std::chrono::nanoseconds median;
    double sigma;  ///< the standard deviation of the underlying normal
    friend bool operator==(lognormal const&, lognormal const&) = default;
  };

  std::variant<fixed, uniform, normal, lognormal> shape{};

  /// No draw exceeds this, whatever the tail: a timer an hour away is already a hang.
  static constexpr std::chrono::nanoseconds max_delay = std::chrono::hours(1);

  /// One delay, drawn with `random`.
  std::chrono::nanoseconds sample(std::mt19937_64& random) const;

  /// "2ms", "uniform(1ms,3ms)", "normal(2ms,500us)", "lognormal(2ms,0.5)".
  std::string text() const;

  friend bool operator==(delay_distribution const&, delay_distribution const&) = default;
};

/// Parses a delay_distribution's text; throws std::invalid_argument saying what is wrong and what
/// would be right.
delay_distribution parse_distribution(std::string_view text);

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

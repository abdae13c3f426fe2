#pragma once
/// A delay drawn from a distribution, per call: what an in-process fault makes a call wait
/// (host/fault_action.hpp) and what a network between two processes adds to each direction of
/// a call (net/client.hpp's network_delay). Pure: no clock, no I/O but reading an empirical
/// distribution's file once.
///
///   2ms                     always 2 ms
///   uniform(1ms,3ms)        evenly from 1 to 3 ms
///   normal(2ms,500us)       mean 2 ms, standard deviation 0.5 ms, never below 0
///   lognormal(2ms,0.5)      median 2 ms, sigma 0.5 of the underlying normal: a long tail
///   empirical(rtt.txt)      one of the file's samples, each as likely
///
/// text() writes the spelling the parser reads back to an equal value.

#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace splitbench::net {

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

  /// One of a file's samples, each as likely: a delay measured elsewhere (ping times between two
  /// zones, say) played back as it was.
  struct empirical {
    std::string file;
    std::shared_ptr<std::vector<std::chrono::nanoseconds> const> samples;
    friend bool operator==(empirical const& a, empirical const& b) { return a.file == b.file && *a.samples == *b.samples; }
  };

  std::variant<fixed, uniform, normal, lognormal, empirical> shape{};

  /// No draw exceeds this, whatever the tail: a timer an hour away is already a hang.
  static constexpr std::chrono::nanoseconds max_delay = std::chrono::hours(1);

  /// One delay, drawn with `random`.
  std::chrono::nanoseconds sample(std::mt19937_64& random) const;

  /// "2ms", "uniform(1ms,3ms)", "normal(2ms,500us)", "lognormal(2ms,0.5)", "empirical(FILE)".
  std::string text() const;

  friend bool operator==(delay_distribution const&, delay_distribution const&) = default;
};

/// Parses a delay_distribution's text; throws std::invalid_argument saying what is wrong and what
/// would be right. `empirical(FILE)` reads FILE now: one duration a line (`180us`, `1.2ms`), blank
/// lines and lines from `#` on ignored.
delay_distribution parse_distribution(std::string_view text);

namespace detail {
/// `s` without the blanks around it; shared by the parsers of texts built on distributions.
std::string_view trimmed(std::string_view s) noexcept;
/// A finite number, the whole of `text` (blanks around it allowed); std::invalid_argument naming
/// `what` otherwise.
double number_of(std::string_view text, std::string_view what);
}  // namespace detail

}  // namespace splitbench::net

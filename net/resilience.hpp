#pragma once
/// What a caller does about a peer that fails, as real services do, each a knob with a default
/// that leaves it off: bounded retries with jittered back-off under a retry budget, and a circuit
/// breaker. Pure state machines here, driven by the client (net/client.hpp) with the clock it
/// reads, so that each can be tested without a socket.
///
///   retries   a failed call is tried again up to `max_retries` times, after a back-off drawn
///             uniformly from [0, backoff x 2^attempt) ("full jitter"), while the budget allows:
///             every call adds `budget` tokens (capped at 10), every retry spends one, so retries
///             stay under that fraction of the calls and cannot multiply an overload.
///   breaker   after `failures` failures in a row it opens: calls fail at once, without reaching
///             the peer, for `open_for`; then one call probes (half-open): its success closes
///             the breaker, its failure opens it again.

#include <chrono>
#include <cstdint>
#include <random>

namespace splitbench::net {

struct retry_options {
  int max_retries = 0;                    ///< 0: no retries
  std::chrono::milliseconds backoff{5};   ///< the first back-off's upper bound; doubles per attempt
  double budget = 0.1;                    ///< retries per call, at most, over time
};

struct breaker_options {
  int failures = 0;                          ///< failures in a row that open it; 0: no breaker
  std::chrono::milliseconds open_for{1'000};  ///< how long it stays open before a probe
};

class retry_budget {
 public:
  explicit retry_budget(double per_call) : per_call_(per_call) {}
  /// A call was made: its share of retries is earned.
  void on_call() noexcept { tokens_ = std::min(cap, tokens_ + per_call_); }
  /// Spends a retry if one is left.
  bool try_spend() noexcept {
    if (tokens_ < 1 - 1e-9) return false;  // ten calls of 0.1 earn one retry, rounding or not
    tokens_ -= 1;
    return true;
  }
  double tokens() const noexcept { return tokens_; }
  static constexpr double cap = 10;

 private:
  double per_call_;
  double tokens_ = 0;
};

/// Full jitter: uniform in [0, backoff x 2^attempt), attempt counting from 0.
std::chrono::nanoseconds jittered_backoff(std::chrono::milliseconds backoff, int attempt, std::mt19937_64& random);

class circuit_breaker {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  enum class state { closed, open, half_open };

  explicit circuit_breaker(breaker_options o) : options_(o) {}

  /// Whether a call may go to the peer now. Open: no, until open_for has passed; then yes for
  /// one probe (half-open), and no for others while it is out.
  bool allow(time_point now) noexcept;
  /// The outcome of a call allowed.
  void record(bool success, time_point now) noexcept;

  state current() const noexcept { return state_; }
  std::uint64_t opened() const noexcept { return opened_; }  ///< times it opened

 private:
  breaker_options options_;
  state state_ = state::closed;
  int in_a_row_ = 0;
  time_point opened_at_{};
  bool probing_ = false;
  std::uint64_t opened_ = 0;
};

}  // namespace splitbench::net

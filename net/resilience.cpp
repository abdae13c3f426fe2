#include "net/resilience.hpp"

namespace splitbench::net {

std::chrono::nanoseconds jittered_backoff(std::chrono::milliseconds backoff, int attempt, std::mt19937_64& random) {
  auto upper = std::chrono::duration_cast<std::chrono::nanoseconds>(backoff).count() << std::min(attempt, 20);
  if (upper <= 0) return std::chrono::nanoseconds::zero();
  return std::chrono::nanoseconds(std::uniform_int_distribution<std::int64_t>(0, upper - 1)(random));
}

bool circuit_breaker::allow(time_point now) noexcept {
  if (options_.failures <= 0) return true;
  switch (state_) {
    case state::closed: return true;
    case state::open:
      if (now - opened_at_ < options_.open_for) return false;
      state_ = state::half_open;
      probing_ = true;
      return true;
    case state::half_open:
      if (probing_) return false;
      probing_ = true;
      return true;
  }
  return true;
}

void circuit_breaker::record(bool success, time_point now) noexcept {
  if (options_.failures <= 0) return;
  if (success) {
    in_a_row_ = 0;
    state_ = state::closed;
    probing_ = false;
    return;
  }
  ++in_a_row_;
  if (state_ == state::half_open || (state_ == state::closed && in_a_row_ >= options_.failures)) {
    state_ = state::open;
    opened_at_ = now;
    probing_ = false;
    ++opened_;
  }
}

}  // namespace splitbench::net

#include "bench/runner/progress.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace splitbench::bench {

std::string progress_printer::eta() const {
  if (planned_done_ <= 0 || planned_left_ <= 0) return "";
  // Seconds of wall time per planned second of load so far (start-up, floors, overheads included).
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  auto left = planned_left_ * elapsed / planned_done_;
  return left >= 60 ? fmt::format("  ~{:.0f}m{:02.0f}s left", std::floor(left / 60), std::fmod(left, 60)) : fmt::format("  ~{:.0f}s left", left);
}

void progress_printer::start(std::string label) {
  label_ = std::move(label);
  if (!terminal_) fmt::print("{} ...\n", label_);
  else fmt::print("\r{}{}\x1b[K", label_, eta());
  std::fflush(stdout);
}

void progress_printer::live(load_progress const& p) {
  if (!terminal_) return;
  fmt::print("\r{}  {:4.1f}/{:.1f}s  {:8.0f} req/s  p99 {:8.1f} µs  errors {}{}{}\x1b[K", label_, p.elapsed_seconds, p.total_seconds,
             p.last_second_rps, static_cast<double>(p.last_second_p99_ns) / 1e3, p.errors, p.warming_up ? "  (warm-up)" : "", eta());
  std::fflush(stdout);
}

void progress_printer::done(std::string const& summary) {
  fmt::print("{}{}: {}\n", terminal_ ? "\r\x1b[K" : "", label_, summary);
  std::fflush(stdout);
}

}  // namespace splitbench::bench

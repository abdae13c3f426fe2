#include "bench/report/format.hpp"

#include "bench/report/answer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace splitbench::bench {

double round2(double x) { return std::round(x * 100) / 100; }
double round3(double x) { return std::round(x * 1000) / 1000; }

std::string format_us(double us) {
  if (std::isnan(us)) return "–";
  if (std::fabs(us) >= 1e6) return fmt::format("{:.2f} s", us / 1e6);
  return std::fabs(us) >= 1000 ? fmt::format("{:.2f} ms", us / 1e3) : fmt::format("{:.1f} µs", us);
}

std::string format_times(double x) { return std::isnan(x) ? "–" : fmt::format("{:.2f}×", x); }
std::string format_percent(double fraction) {
  if (std::isnan(fraction)) return "–";
  auto percent = fraction * 100;
  // Whole percents as they are; a fraction of one (a 0.1% error budget) with its first digits.
  return std::fabs(percent) >= 1 ? fmt::format("{:.0f}%", percent) : fmt::format("{:.2g}%", percent);
}
std::string format_mib(double bytes) { return std::isnan(bytes) ? "–" : fmt::format("{:.1f} MiB", bytes / 1048576.0); }
std::string format_rate(double rps) { return fmt::format("{:.0f} req/s", rps); }

namespace {
/// "2.50" -> "2.5", "3.00" -> "3".
std::string without_trailing_zeros(std::string x) {
  if (x.find('.') == std::string::npos) return x;
  while (x.back() == '0') x.pop_back();
  if (x.back() == '.') x.pop_back();
  return x;
}
}  // namespace

std::string format_seconds(double s) { return std::isnan(s) ? "–" : without_trailing_zeros(fmt::format("{:.2f}", s)) + " s"; }

std::string format_availability(double fraction) {
  if (std::isnan(fraction)) return "–";
  if (fraction >= 1) return "100%";
  auto percent = std::max(0.0, fraction * 100);
  int decimals = percent >= 99 || percent < 1 ? 2 : 1;
  auto scale = std::pow(10.0, decimals);
  return without_trailing_zeros(fmt::format("{:.{}f}", std::floor(percent * scale + 1e-6) / scale, decimals)) + "%";
}

std::string with_interval(median_interval const& m, std::string (*format)(double)) {
  if (m.n == 0) return "–";
  auto mid = format(m.median);
  if (m.n == 1) return mid;
  auto lo = format(m.low), hi = format(m.high);
  // "150 µs [131, 168]": the unit once, where all three share it.
  auto unit = [](std::string const& x) { auto at = x.rfind(' '); return at == std::string::npos ? std::string() : x.substr(at); };
  auto number = [](std::string const& x) { return x.substr(0, x.rfind(' ')); };
  if (!unit(mid).empty() && unit(mid) == unit(lo) && unit(mid) == unit(hi))
    return fmt::format("{} [{}, {}]", mid, number(lo), number(hi));
  return fmt::format("{} [{}, {}]", mid, lo, hi);
}

std::string cores_text(double cores) { return fmt::format("{:g} core{}", cores, cores == 1 ? "" : "s"); }

std::string capacity_text(capacity_bounds const& c) {
  if (!c.high) return fmt::format("≥ {}", format_rate(c.low));
  return fmt::format("{:.0f}–{}", c.low, format_rate(*c.high));
}

std::string ratio_text(ratio_bounds const& r) {
  if (r.low && r.high) return fmt::format("{:.2f} [{:.2f}, {:.2f}]", r.value, *r.low, *r.high);
  // One side's capacity has no bound: the other's found capacity over it is no estimate of the
  // ratio, only the bound is.
  if (r.high) return fmt::format("at most {:.2f}", *r.high);
  if (r.low) return fmt::format("at least {:.2f}", *r.low);
  return fmt::format("{:.2f}", r.value);
}

}  // namespace splitbench::bench

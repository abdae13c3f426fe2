#include "bench/driver/schedule.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <ctime>

namespace splitbench::bench {
namespace {

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, unsigned& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

/// ".fff..." at `at` (none is 0) as nanoseconds; `at` moves past it.
std::optional<std::int64_t> fraction(std::string_view s, std::size_t& at) {
  if (at >= s.size() || s[at] != '.') return 0;
  ++at;
  std::int64_t ns = 0, scale = 100'000'000;
  std::size_t from = at;
  for (; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, scale /= 10)
    if (scale > 0) ns += (s[at] - '0') * scale;
  if (at == from) return std::nullopt;
  return ns;
}

}  // namespace

std::string rfc3339(std::int64_t unix_ns) {
  auto secs = unix_ns >= 0 ? unix_ns / 1'000'000'000 : (unix_ns - 999'999'999) / 1'000'000'000;
  auto ns = unix_ns - secs * 1'000'000'000;
  auto t = static_cast<std::time_t>(secs);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ns);
}

/// The last whole second whose nanoseconds fit in an int64 (2262-04-11): later times are refused.
constexpr std::int64_t max_unix_seconds = INT64_MAX / 1'000'000'000LL - 1;

std::optional<std::int64_t> parse_wall_time(std::string_view s) {
  if (s.size() >= 20 && s[4] == '-') {
    unsigned y, mo, d, h, mi, se;
    if (!digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d) ||
        (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
        !digits(s, 17, 2, se))
      return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    std::size_t at = 19;
    auto ns = fraction(s, at);
    if (!ns || at + 1 != s.size() || (s[at] != 'Z' && s[at] != 'z')) return std::nullopt;
    auto days = days_from_civil(y, mo, d);
    auto secs = ((days * 24 + h) * 60 + mi) * 60 + std::int64_t(se);
    if (secs < 0 || secs > max_unix_seconds) return std::nullopt;  // nanoseconds in 64 bits end in 2262
    return secs * 1'000'000'000LL + *ns;
  }
  std::int64_t secs = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), secs);
  if (ec != std::errc() || end == s.data() || secs < 0 || secs > max_unix_seconds) return std::nullopt;
  std::size_t at = static_cast<std::size_t>(end - s.data());
  auto ns = fraction(s, at);
  if (!ns || at != s.size()) return std::nullopt;
  return secs * 1'000'000'000LL + *ns;
}

}  // namespace splitbench::bench

#pragma once
/// The global open-loop schedule a load run took part of, written beside its results: request k
/// is due at start + k / rate, and shard I of N sends the requests k = I mod N, so that N
/// drivers together offer `rate`. Shards of one schedule are recognised by it and merged
/// (`splitbench merge`); a run on its own is shard 0 of 1.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

struct load_schedule {
  std::string url;                   ///< what was loaded
  std::string workload;              ///< a named mix of routes instead of the URL's path, or ""
  std::vector<std::string> routes;   ///< the mix's routes, in order
  std::optional<double> rate;        ///< requests per second of every shard together; none: closed loop
  std::int64_t start_unix_ns = 0;    ///< wall-clock time request 0 was due
  bool start_given = false;          ///< the start was asked for (--start-at), as shards must share one
  std::chrono::nanoseconds warmup{}, duration{};
  std::uint64_t seed = 1;                      ///< what request k of a mix is depends on it, so shards of one schedule share it
  std::uint64_t shards = 1;                    ///< N
  std::vector<std::uint64_t> indices{0};       ///< the shards whose results these are, increasing

  /// The same schedule: everything but `indices` equal.
  bool same_as(load_schedule const& o) const noexcept {
    return url == o.url && workload == o.workload && routes == o.routes && rate == o.rate && start_unix_ns == o.start_unix_ns &&
           warmup == o.warmup && duration == o.duration && seed == o.seed && shards == o.shards;
  }
};

/// `unix_ns` as RFC 3339 UTC to the nanosecond: "2026-11-30T12:00:00.000000000Z".
std::string rfc3339(std::int64_t unix_ns);

/// A wall-clock time as --start-at takes it: RFC 3339 UTC ("2026-11-30T12:00:00Z", fractional
/// seconds allowed, "z" or "Z") or Unix seconds ("1796040000", "1796040000.25"); in Unix
/// nanoseconds, or none for anything else.
std::optional<std::int64_t> parse_wall_time(std::string_view text);

}  // namespace splitbench::bench

#include "bench/driver/shards.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

namespace splitbench::bench {
namespace {

/// What first differs between two schedules, as "rate 100 against 200".
std::string difference(load_schedule const& a, load_schedule const& b) {
  auto rate = [](std::optional<double> r) { return r ? fmt::format("{}", *r) : std::string("none (closed loop)"); };
  if (a.url != b.url) return fmt::format("URL {} against {}", a.url, b.url);
  if (a.workload != b.workload) return fmt::format("workload '{}' against '{}'", a.workload, b.workload);
  if (a.routes != b.routes) return fmt::format("routes {} against {}", a.routes, b.routes);
  if (a.rate != b.rate) return fmt::format("rate {} against {}", rate(a.rate), rate(b.rate));
  if (a.start_unix_ns != b.start_unix_ns) return fmt::format("start {} against {}", rfc3339(a.start_unix_ns), rfc3339(b.start_unix_ns));
  if (a.warmup != b.warmup) return fmt::format("warm-up {} ns against {} ns", a.warmup.count(), b.warmup.count());
  if (a.duration != b.duration) return fmt::format("duration {} ns against {} ns", a.duration.count(), b.duration.count());
  if (a.seed != b.seed) return fmt::format("seed {} against {}", a.seed, b.seed);
  return fmt::format("{} shards against {}", a.shards, b.shards);
}

}  // namespace

load_file merge_shards(std::vector<load_file> const& files, std::vector<std::string> const& names) {
  if (files.empty()) throw std::invalid_argument("no shards to merge");
  load_file out;
  out.schedule = files[0].schedule;
  out.schedule.indices.clear();
  std::vector<std::string> holder(files[0].schedule.shards);  // which file holds each shard
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto const& s = files[i].schedule;
    if (!s.same_as(files[0].schedule))
      throw std::invalid_argument(fmt::format("{} and {} are shards of different schedules: {}", names[0], names[i], difference(files[0].schedule, s)));
    if (!s.start_given && files.size() > 1)
      throw std::invalid_argument(fmt::format("{} was not started with --start-at: shards must share one start", names[i]));
    for (auto k : s.indices) {
      if (!holder[k].empty()) throw std::invalid_argument(fmt::format("shard {} of {} is in both {} and {}", k, s.shards, holder[k], names[i]));
      holder[k] = names[i];
      out.schedule.indices.push_back(k);
    }
    out.result.merge(files[i].result);
  }
  std::sort(out.schedule.indices.begin(), out.schedule.indices.end());
  out.result.all.name = "all";
  return out;
}

std::vector<std::uint64_t> missing_shards(load_schedule const& merged) {
  std::vector<std::uint64_t> missing;
  for (std::uint64_t k = 0; k < merged.shards; ++k)
    if (!std::binary_search(merged.indices.begin(), merged.indices.end(), k)) missing.push_back(k);
  return missing;
}

}  // namespace splitbench::bench

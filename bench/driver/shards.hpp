#pragma once
/// Shards of one schedule added up exactly (`splitbench merge`): counts add, histograms merge
/// bucket by bucket with their exact totals, percentiles are taken again from the merged
/// histograms; the result is what one driver offering the whole schedule would have written,
/// up to how each shard's driver and network behaved.

#include "bench/driver/load_json.hpp"

#include <string>
#include <vector>

namespace splitbench::bench {

/// `files[i]` was read from `names[i]`. Throws std::invalid_argument, one line naming the files,
/// for shards of different schedules (URL, workload, routes, rate, start, warm-up, duration,
/// number of shards) or holding a shard twice.
load_file merge_shards(std::vector<load_file> const& files, std::vector<std::string> const& names);

/// The shards of its schedule that `merged` does not hold, increasing.
std::vector<std::uint64_t> missing_shards(load_schedule const& merged);

}  // namespace splitbench::bench

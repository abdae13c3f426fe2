#include "bench/driver/shards.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;

namespace {

/// Shard `index` of 2 of one schedule: `n` responses of `ns` each on route "/a".
load_file shard(std::uint64_t index, std::uint64_t n, std::uint64_t ns) {
  load_file f;
  f.schedule.url = "http://127.0.0.1/a";
  f.schedule.routes = {"/a"};
  f.schedule.rate = 100;
  f.schedule.start_unix_ns = 1'796'040'000'000'000'000;
  f.schedule.start_given = true;
  f.schedule.duration = std::chrono::seconds(2);
  f.schedule.shards = 2;
  f.schedule.indices = {index};
  auto& r = f.result;
  r.open_loop = true;
  r.target_rate = 50;
  r.measured_seconds = 2;
  r.threads = 1;
  r.connections = 2;
  r.requests = n;
  r.routes.emplace_back("/a");
  r.per_second.resize(2);
  for (std::uint64_t i = 0; i < n; ++i) {
    r.routes[0].response_time.record(ns + i);
    r.per_second[i % 2].response_time.record(ns + i);
    ++r.per_second[i % 2].responses;
  }
  r.routes[0].responses = n;
  r.routes[0].status_classes[2] = n;
  r.routes[0].good_in_window = n;
  r.all.merge(r.routes[0]);
  r.all.name = "all";
  return f;
}

}  // namespace

TEST_CASE("merge_shards adds shards exactly: counts, histograms, rate, percentiles again") {
  auto merged = merge_shards({shard(0, 100, 1'000'000), shard(1, 100, 3'000'000)}, {"a.json", "b.json"});
  CHECK(merged.schedule.indices == std::vector<std::uint64_t>{0, 1});
  CHECK(missing_shards(merged.schedule).empty());
  auto const& r = merged.result;
  CHECK(r.requests == 200);
  CHECK(r.target_rate == 100);
  CHECK(r.all.responses == 200);
  CHECK(r.all.response_time.count() == 200);
  CHECK(r.all.response_time.min() == 1'000'000);
  CHECK(r.all.response_time.max() == 3'000'099);
  CHECK(r.all.response_time.value_at_percentile(50) == r.all.response_time.highest_equivalent(1'000'099));
  CHECK(r.per_second[0].responses == 100);
  CHECK(r.per_second[0].p99_ns == r.per_second[0].response_time.value_at_percentile(99));
  CHECK(r.throughput_rps() == 100);
}

TEST_CASE("merge_shards says which shards are missing and refuses shards it cannot add") {
  auto one = merge_shards({shard(1, 10, 1'000)}, {"b.json"});
  CHECK(missing_shards(one.schedule) == std::vector<std::uint64_t>{0});
  CHECK_THROWS_WITH(merge_shards({shard(0, 10, 1'000), shard(0, 10, 1'000)}, {"a.json", "c.json"}),
                    "shard 0 of 2 is in both a.json and c.json");
  auto other_rate = shard(1, 10, 1'000);
  other_rate.schedule.rate = 200;
  CHECK_THROWS_WITH(merge_shards({shard(0, 10, 1'000), other_rate}, {"a.json", "b.json"}),
                    "a.json and b.json are shards of different schedules: rate 100 against 200");
  auto other_start = shard(1, 10, 1'000);
  other_start.schedule.start_unix_ns += 1'000'000;
  CHECK_THROWS_WITH(merge_shards({shard(0, 10, 1'000), other_start}, {"a.json", "b.json"}), Catch::Contains("start"));
  auto other_n = shard(1, 10, 1'000);
  other_n.schedule.shards = 3;
  CHECK_THROWS_WITH(merge_shards({shard(0, 10, 1'000), other_n}, {"a.json", "b.json"}), Catch::Contains("2 shards against 3"));
  auto other_url = shard(1, 10, 1'000);
  other_url.schedule.url = "http://127.0.0.1/b";
  CHECK_THROWS_WITH(merge_shards({shard(0, 10, 1'000), other_url}, {"a.json", "b.json"}), Catch::Contains("URL"));
}

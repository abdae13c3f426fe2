// A sharded load merged against one driver offering the same schedule alone. The server answers
// every request after a fixed 20 ms on a timer, so latency is that delay and little else, and the
// comparison holds on a noisy machine: every response time is at least the delay (a floor no
// noise lowers), and the two medians agree within a stated 3 ms beside it.

#include "hdr_check.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/files.hpp"
#include "bench/driver/tests/test_server.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <future>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

constexpr double delay_us = 20'000;
constexpr double median_tolerance_us = 3'000;

json::object read_json(std::string const& path) { return json::parse(bench::read_file(path)).as_object(); }

/// `splitbench load` against `/delayed` at 200 requests per second in all, 0.5 s of warm-up, 2 s measured.
std::vector<std::string> load_args(std::uint16_t port, std::string const& json_file) {
  return {bin("splitbench"), "load", "http://127.0.0.1:" + std::to_string(port) + "/delayed", "--rate", "200", "--warmup", "500ms",
          "--duration", "2s", "--connections", "8", "--json", json_file};
}

/// Unix seconds 3 s ahead, to a tenth: when both shards start (time enough to start two processes).
std::string soon() {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return std::to_string((now + 3'000) / 1'000) + "." + std::to_string((now + 3'000) % 1'000 / 100);
}

double us(json::object const& o, char const* latency, char const* key) { return o.at(latency).at(key).to_number<double>(); }

/// Runs splitbench with `args` and returns its exit status and output; expects one line on exit 2.
run_result refused(std::vector<std::string> args) {
  args.insert(args.begin(), bin("splitbench"));
  auto r = run(args);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  return r;
}

}  // namespace

TEST_CASE("two shards of one schedule, merged, are one driver at the same rate") {
  bench::testing::server_behaviour b;
  b.delay = std::chrono::microseconds(static_cast<long>(delay_us));
  bench::testing::test_server server(b);
  auto dir = bench::make_temp_dir("splitbench-shards");
  auto start = soon();
  std::vector<std::future<run_result>> shards;
  for (int i = 0; i < 2; ++i) {
    auto args = load_args(server.port(), dir + "/shard" + std::to_string(i) + ".json");
    for (auto extra : {"--shard", i == 0 ? "0/2" : "1/2", "--start-at", start.c_str()}) args.emplace_back(extra);
    shards.push_back(std::async(std::launch::async, [args] { return run(args); }));
  }
  for (auto& s : shards) {
    auto r = s.get();
    INFO(r.output);
    REQUIRE(r.status == 0);
  }
  auto merge = run({bin("splitbench"), "merge", dir + "/shard0.json", dir + "/shard1.json", "--json", dir + "/merged.json"});
  INFO(merge.output);
  REQUIRE(merge.status == 0);
  auto alone = run(load_args(server.port(), dir + "/alone.json"));
  INFO(alone.output);
  REQUIRE(alone.status == 0);

  auto s0 = read_json(dir + "/shard0.json"), s1 = read_json(dir + "/shard1.json");
  auto merged = read_json(dir + "/merged.json"), single = read_json(dir + "/alone.json");
  // The schedule: 200/s over 2 s is 400 requests due in the window, 200 to each shard.
  CHECK(s0.at("requests").to_number<std::uint64_t>() == 200);
  CHECK(s1.at("requests").to_number<std::uint64_t>() == 200);
  CHECK(s0.at("target_rate").as_double() == 100);
  CHECK(s0.at("schedule").at("start_unix_ns") == s1.at("schedule").at("start_unix_ns"));
  CHECK(merged.at("requests").to_number<std::uint64_t>() == 400);
  CHECK(single.at("requests").to_number<std::uint64_t>() == 400);
  CHECK(merged.at("responses").to_number<std::uint64_t>() == 400);
  CHECK(merged.at("target_rate").as_double() == 200);
  CHECK(merged.at("latency_us").at("count").to_number<std::uint64_t>() == 400);
  CHECK(merged.at("routes").at(0).at("latency_us").at("count").to_number<std::uint64_t>() == 400);
  CHECK(merged.at("schedule").at("shard_indices") == json::array{0, 1});
  // Exact: the merged maximum and mean are the shards' own, not bucket bounds.
  CHECK(us(merged, "latency_us", "max") == std::max(us(s0, "latency_us", "max"), us(s1, "latency_us", "max")));
  CHECK(us(merged, "latency_us", "mean") == Approx((us(s0, "latency_us", "mean") + us(s1, "latency_us", "mean")) / 2).margin(0.011));
  // The same distribution: the delay's floor under both, and medians within the tolerance.
  CHECK(us(merged, "latency_us", "min") >= delay_us);
  CHECK(us(single, "latency_us", "min") >= delay_us);
  CHECK(std::abs(us(merged, "latency_us", "p50") - us(single, "latency_us", "p50")) <= median_tolerance_us);
  // hdr-histogram-js reads the merged histogram as splitbench does.
  auto theirs = hdr_check_text(dir, "decode", json::serialize(json::array{merged.at("histogram")})).as_array();
  CHECK(theirs.at(0).at("count").to_number<std::uint64_t>() == 400);

  {  // shards it cannot add: exit 2, one line (no SECTION: each would run the loads again)
    auto other = s1;
    other["schedule"].as_object()["rate"] = 300.0;
    bench::write_file_atomically(dir + "/other.json", json::serialize(other));
    auto r = refused({"merge", dir + "/shard0.json", dir + "/other.json", "--json", dir + "/x.json"});
    CHECK(r.output.find("different schedules: rate 200 against 300") != std::string::npos);
    r = refused({"merge", dir + "/shard0.json", dir + "/merged.json", "--json", dir + "/x.json"});
    CHECK(r.output.find("shard 0 of 2 is in both") != std::string::npos);
    bench::write_file_atomically(dir + "/report.json", R"({"schema":"splitbench.report/4"})");
    r = refused({"merge", dir + "/report.json", "--json", dir + "/x.json"});
    CHECK(r.output.find("not a load JSON") != std::string::npos);
    bench::write_file_atomically(dir + "/garbage.json", "{{");
    refused({"merge", dir + "/garbage.json", "--json", dir + "/x.json"});
    CHECK_FALSE(std::filesystem::exists(dir + "/x.json"));
  }
  {  // a shard alone: merged, and the missing one named
    auto r = run({bin("splitbench"), "merge", dir + "/shard1.json", "--json", dir + "/one.json"});
    CHECK(r.status == 0);
    CHECK(r.output.find("shards 0 of 2 are missing") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("splitbench load refuses a shard or start it cannot keep: exit 2, one line") {
  std::vector<std::string> base{"load", "http://127.0.0.1:9/", "--rate", "100"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  refused(with({"--shard", "2/2", "--start-at", "2099-01-01T00:00:00Z"}));
  refused(with({"--shard", "1", "--start-at", "2099-01-01T00:00:00Z"}));
  refused(with({"--shard", "0/2"}));  // no start to share
  refused(with({"--start-at", "2020-01-01T00:00:00Z"}));  // in the past
  refused(with({"--start-at", "tomorrow"}));
  refused({"load", "http://127.0.0.1:9/", "--shard", "0/2", "--start-at", "2099-01-01T00:00:00Z"});  // closed loop
}

TEST_CASE("load --json - writes the JSON alone to standard output: a shard's pod log is its result") {
  bench::testing::server_behaviour b;
  bench::testing::test_server server(b);
  auto r = run({bin("splitbench"), "load", "http://127.0.0.1:" + std::to_string(server.port()) + "/", "--rate", "100", "--warmup", "200ms",
                "--duration", "1s", "--json", "-"});
  INFO(r.output);
  REQUIRE(r.status == 0);
  auto doc = json::parse(r.output).as_object();  // the whole output, stdout and stderr together, as kubectl logs gives it
  CHECK(doc.at("requests").to_number<double>() == 100);
  CHECK_FALSE(std::filesystem::exists("-"));
}

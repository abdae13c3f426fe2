// The distance phase through the real binaries: the split started again at each round trip, its
// compare windows paired with the monolith's, and the product route (one internal hop) paying
// both directions of the delay, with the report and its JSON holding every point.

#include "bench/driver/files.hpp"
#include "bench/report/distance.hpp"
#include "bench/report/report_json.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

TEST_CASE("distance: at a round trip of 2 ms the product route's added p50 rises by 2 ms, one hop's two directions of 1 ms") {
  auto results = bench::make_temp_dir("splitbench-distance-test");
  auto r = run({bin("splitbench"), "run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/distance.toml", "--results", results, "--set",
                "repetitions=2", "--set", "compare.duration=1s", "--set", "compare.rate=200", "--set", "driver.warmup=300ms", "--set",
                "distance.round_trips=[\"0us\", \"2ms\"]", "--set", "distance.repetitions=2", "--set", "distance.sweep=false"});
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("[distance] start split, round trip 2ms, 1ms each way") != std::string::npos);
  auto report = bench::load_report(results + "/latest");
  REQUIRE(report.distance);
  auto const& points = report.distance->points;
  REQUIRE(points.size() == 2);
  CHECK(points[0].round_trip_us == 0);
  CHECK(points[1].round_trip_us == 2'000);
  for (auto const& p : points) {
    CHECK(p.monolith.size() == 2);
    CHECK(p.split.size() == 2);
    CHECK(p.sweep.empty());
    CHECK_FALSE(p.capacity);
    for (auto const& m : p.split) CHECK(m.errors == 0);
  }
  CHECK(report.distance->monolith_sweep.empty());
  auto a = bench::distance_answer_of(report);
  REQUIRE(a);
  auto product = [&](std::size_t k) {
    auto const& routes = a->points[k].routes;
    auto it = std::find_if(routes.begin(), routes.end(), [](auto const& x) { return x.name == "product"; });
    REQUIRE(it != routes.end());
    return it->added_p50.median;
  };
  auto near = product(0), far = product(1);
  INFO("product added p50 at 0: " << near << " µs, at 2 ms: " << far << " µs");
  CHECK(far - near == Approx(2'000).epsilon(0.15));
  auto written = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
  CHECK(written.at("distance").at("points").as_array().size() == 2);
  CHECK(written.at("answer").at("distance").at("points").as_array().size() == 2);
  auto markdown = bench::read_file(results + "/latest/report.md");
  CHECK(markdown.find("## Network distance") != std::string::npos);
  CHECK(markdown.find("| 0 (loopback's own) |") != std::string::npos);
  CHECK(markdown.find("| 2.00 ms |") != std::string::npos);
  std::filesystem::remove_all(results);
}

TEST_CASE("distance: with one deployment there is nothing to compare, and the report says the phase did not run") {
  auto results = bench::make_temp_dir("splitbench-distance-one-test");
  auto r = run({bin("splitbench"), "run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/distance.toml", "--results", results, "--deployment",
                "split", "--set", "repetitions=1", "--set", "compare.duration=500ms", "--set", "driver.warmup=200ms"});
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("[distance]") == std::string::npos);
  auto report = bench::load_report(results + "/latest");
  CHECK_FALSE(report.distance);
  CHECK(std::find(report.warnings.begin(), report.warnings.end(),
                  "the distance phase was not run: it compares the split with the monolith, and the run did not measure both") != report.warnings.end());
  CHECK(bench::read_file(results + "/latest/report.md").find("## Network distance") == std::string::npos);
  std::filesystem::remove_all(results);
}

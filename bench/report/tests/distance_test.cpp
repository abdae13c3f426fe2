// The distance figures from hand-made measurements: the paired added latency at each round trip,
// the round trip from which the split costs more than a millisecond, its throughput against the
// monolith's, the section that prints them and the JSON that keeps them.

#include "bench/report/distance.hpp"
#include "bench/report/markdown.hpp"
#include "bench/report/report_json.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;
namespace json = boost::json;

namespace {

/// A repetition of the four routes: the monolith's in 50–70 µs, the split's `added` µs later on
/// the routes of one hop in sequence and 100 + 2 × round trip later on the order route (two hops),
/// with `drift` µs of the machine's in both sides of a pair.
run_measurement at(double round_trip_us, bool split, double drift) {
  double one_hop = split ? 100 + round_trip_us : 0, two_hops = split ? 100 + 2 * round_trip_us : 0;
  return repetition({{"product", 50 + drift + one_hop}, {"search", 50 + drift + one_hop}, {"quote", 60 + drift + one_hop}, {"order", 70 + drift + two_hops}});
}

/// A step that passed, so that the point reads as swept.
sweep_step passed_at(double rate) {
  sweep_step s;
  s.rate = rate;
  s.outcome = step_outcome::passed;
  return s;
}

/// Four round trips, 0, 200 µs, 1 ms and 5 ms, three pairs each; the split at the SLO 6000, 5800,
/// 4000 req/s and, at 5 ms, nothing; the monolith 10000–11000 req/s.
run_result distance_run() {
  auto run = four_routes();
  distance_measurement d;
  d.monolith_sweep = {passed_at(10'000)};
  d.monolith_capacity = capacity_bounds{10'000, 11'000};
  d.sweep_cpu_budget = 0.5;
  std::vector<std::pair<double, std::optional<capacity_bounds>>> points{
      {0, capacity_bounds{6'000, 6'600}}, {200, capacity_bounds{5'800, 6'380}}, {1'000, capacity_bounds{4'000, 4'400}}, {5'000, std::nullopt}};
  for (auto const& [round_trip, capacity] : points) {
    distance_point p;
    p.round_trip_us = round_trip;
    for (int rep = 0; rep < 3; ++rep) {
      p.monolith.push_back(at(round_trip, false, rep * 7));
      p.split.push_back(at(round_trip, true, rep * 7));
    }
    p.sweep = {passed_at(1'000)};
    p.capacity = capacity;
    d.points.push_back(std::move(p));
  }
  run.distance = std::move(d);
  return run;
}

}  // namespace

TEST_CASE("distance: the added latency at each round trip is paired, as the headline's") {
  auto a = distance_answer_of(distance_run());
  REQUIRE(a);
  REQUIRE(a->points.size() == 4);
  for (auto const& p : a->points) {
    INFO("round trip " << p.round_trip_us);
    REQUIRE(p.routes.size() == 5);
    // Figures read from histograms of 3 significant digits: within 0.1% (or 2 µs) of the hand numbers.
    // Half the requests are of one hop: every route together, p50 is the one-hop routes' and p99 the order route's.
    CHECK(p.all()->added_p50.median == Approx(100 + p.round_trip_us).margin(2).epsilon(0.001));
    CHECK(p.all()->added_p99.median == Approx(100 + 2 * p.round_trip_us).margin(2).epsilon(0.001));
    CHECK(p.all()->added_p50.n == 3);
    CHECK(p.routes[0].name == "product");
    CHECK(p.routes[0].added_p50.median == Approx(100 + p.round_trip_us).margin(2).epsilon(0.001));
    CHECK(p.routes[3].name == "order");
    CHECK(p.routes[3].added_p50.median == Approx(100 + 2 * p.round_trip_us).margin(2).epsilon(0.001));
  }
  CHECK(a->points[0].throughput_ratio->value == Approx(0.6));
  CHECK(a->points[2].throughput_ratio->value == Approx(0.4));
  CHECK_FALSE(a->points[3].capacity);
  CHECK_FALSE(a->points[3].throughput_ratio);
  CHECK(a->points[3].swept);
  CHECK_FALSE(distance_answer_of(four_routes()));
}

TEST_CASE("distance: the round trip from which the split costs more than a threshold, from there on") {
  auto a = *distance_answer_of(distance_run());
  CHECK(round_trip_from_which(a, 1'000) == 1'000.0);  // 1.1 ms added there, 300 µs at 200 µs
  CHECK(round_trip_from_which(a, 250) == 200.0);
  CHECK(round_trip_from_which(a, 50) == 0.0);
  CHECK_FALSE(round_trip_from_which(a, 10'000));
  // A point back under the threshold after one above: the answer is from the last rise on.
  std::swap(a.points[1].routes, a.points[2].routes);
  CHECK(round_trip_from_which(a, 1'000) == 5'000.0);
  // Throughput at the SLO: 0.6, 0.58, 0.4 and nothing passed at 5 ms.
  auto b = *distance_answer_of(distance_run());
  CHECK(round_trip_from_which_throughput(b, 0.5) == 1'000.0);
  CHECK(round_trip_from_which_throughput(b, 0.59) == 200.0);
  CHECK(round_trip_from_which_throughput(b, 0.01) == 5'000.0);  // where no rate passed the split serves none
  b.points[3].swept = false;  // not swept: neither for nor against
  CHECK(round_trip_from_which_throughput(b, 0.01) == std::nullopt);
}

TEST_CASE("distance: the Network distance section, a row per round trip, per route, and the answer in a sentence") {
  auto run = distance_run();
  auto md = distance_markdown(run);
  INFO(md);
  CHECK(md.rfind("\n## Network distance\n", 0) == 0);
  CHECK(md.find("3 paired repetitions at 500 req/s") != std::string::npos);
  CHECK(md.find("each side held to 0.5 cores") != std::string::npos);
  CHECK(md.find("| 0 (loopback's own) | 100.0 µs [100.0, 100.1] | 100.0 µs [100.0, 100.0] |") != std::string::npos);
  CHECK(md.find("| 6000–6600 req/s | 0.60 [0.55, 0.66] |") != std::string::npos);
  CHECK(md.find("| 5.00 ms |") != std::string::npos);
  CHECK(md.find("| no step passed | 0 (nothing passed) |") != std::string::npos);
  CHECK(md.find("The monolith at the SLO: 10000–11000 req/s.") != std::string::npos);
  CHECK(md.find("| round trip | product (depth 1) | search (depth 1) | quote (depth 1) | order (depth 2) |") != std::string::npos);
  CHECK(md.find("**The split adds more than 1 ms at p50 from a round trip of 1.00 ms on** (1.10 ms [1.10, 1.10] there, every route "
                "together); at 200.0 µs it added 300.1 µs.") != std::string::npos);
  CHECK(md.find(" At the SLO it serves 0.60× the monolith's throughput at a round trip of 0 (loopback's own) and 0.40× at 1.00 ms, half the "
                "monolith's or less from 1.00 ms on; from a round trip of 5.00 ms on no rate passed.\n") != std::string::npos);
  // In report.md after the other sections, before how it was measured.
  auto report = render_markdown(run, answer_of(run));
  CHECK(report.find("## Network distance") < report.find("## How this was measured"));
  // Never more than 1 ms: said so, with the largest round trip.
  run.distance->points.pop_back();
  run.distance->points.pop_back();
  md = distance_markdown(run);
  CHECK(md.find("**The split adds no more than 1 ms at p50 at any round trip measured, up to 200.0 µs** (there: 300.1 µs, every route together). "
                "At the SLO it serves 0.60× the monolith's throughput at a round trip of 0 (loopback's own) and 0.58× at 200.0 µs.\n") !=
        std::string::npos);
  run.distance.reset();
  CHECK(distance_markdown(run).empty());
}

TEST_CASE("distance: report.json keeps the points and answers them, and a report from before reads as having none") {
  auto run = distance_run();
  auto written = to_json(run, answer_of(run));
  auto text = json::serialize(written);
  auto back = run_result_from_json(json::parse(text).as_object());
  REQUIRE(back.distance);
  REQUIRE(back.distance->points.size() == 4);
  CHECK(back.distance->points[2].round_trip_us == 1'000);
  CHECK(back.distance->points[2].split.size() == 3);
  CHECK(*back.distance->monolith_capacity->high == 11'000);
  CHECK(json::serialize(to_json(back, answer_of(back))) == text);
  auto const& answered = written.at("answer").at("distance").as_object();
  CHECK(answered.at("added_p50_over_1ms_from_round_trip_us").to_number<double>() == 1'000);
  CHECK(answered.at("half_throughput_from_round_trip_us").to_number<double>() == 1'000);
  auto const& points = answered.at("points").as_array();
  REQUIRE(points.size() == 4);
  CHECK(points[1].at("added_p50_us").to_number<double>() == Approx(300).margin(2));
  CHECK(points[1].at("routes").at("order").at("added_p50_us").to_number<double>() == Approx(500).margin(3));
  CHECK(points[3].at("split_throughput_at_slo_bounds_rps").is_null());
  written.erase("distance");
  written.at("answer").as_object().erase("distance");
  CHECK_FALSE(run_result_from_json(written).distance);
}

#include "bench/report/answer.hpp"
#include "bench/report/format.hpp"
#include "bench/report/markdown.hpp"
#include "bench/report/report_json.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <cmath>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;
namespace json = boost::json;

namespace {

/// Hand numbers: the monolith answers every route in 50 µs; the split adds 100 µs per hop in
/// sequence and 20 µs per call, plus `drift` µs in repetition rep (the machine, shared by the pair).
run_result hand_run(int reps = 10) {
  return run_of(reps, [](std::string const& d, int rep) {
    double drift = rep * 3;
    auto added = [&](int depth, int calls) { return d == "split" ? 100.0 * depth + 20.0 * calls : 0.0; };
    return repetition({{"product", 50 + drift + added(1, 1)}, {"search", 50 + drift + added(1, 1)}, {"quote", 50 + drift + added(1, 3)},
                       {"order", 50 + drift + added(2, 4)}},
                      d == "split" ? 80 + rep : 20 + rep / 4.0);
  });
}

}  // namespace

TEST_CASE("the answer: paired differences per route, and the per-hop cost from the one-call route and from a fit") {
  auto a = answer_of(hand_run());
  REQUIRE(a.overall);
  REQUIRE(a.routes.size() == 5);
  auto route = [&](std::string const& name) {
    return *std::find_if(a.routes.begin(), a.routes.end(), [&](auto const& r) { return r.name == name; });
  };
  // The drift is in both sides of each pair, so every paired difference is exact.
  CHECK(route("product").added_p50.median == Approx(120));
  CHECK(route("product").added_p50.low == Approx(120));
  CHECK(route("quote").added_p50.median == Approx(160));
  CHECK(route("order").added_p50.median == Approx(280));
  CHECK(route("order").depth == 2);
  CHECK(route("order").calls == 4);
  // One hop, one call: 120 µs; the fit finds 100 per hop in sequence and 20 per call, no residual.
  CHECK(*a.overall->per_hop.one_call_route_us == Approx(120));
  CHECK(*a.overall->per_hop.per_depth_us == Approx(100));
  CHECK(*a.overall->per_hop.per_call_us == Approx(20));
  for (auto const& [name, residual] : a.overall->per_hop.residuals_us) CHECK(residual == Approx(0).margin(0.01));
  CHECK(a.overall->per_hop.vs_loopback == Approx(4.0));  // 120 against the 30 µs round trip
  // CPU ratio per pair, its median and interval.
  CHECK(a.overall->cpu_ratio.n == 10);
  CHECK(a.overall->cpu_ratio.low <= a.overall->cpu_ratio.median);
  CHECK(a.overall->cpu_ratio.median <= a.overall->cpu_ratio.high);
  // Throughput: the split's [4000, 4400] against the monolith's [10000, 11000].
  REQUIRE(a.overall->throughput_ratio);
  CHECK(a.overall->throughput_ratio->value == Approx(0.4));
  CHECK(*a.overall->throughput_ratio->low == Approx(4000.0 / 11000).margin(0.001));
  CHECK(*a.overall->throughput_ratio->high == Approx(0.44));
}

TEST_CASE("the answer: a side that passed every step is a lower bound, and the headline says so") {
  auto run = run_of(8, [](std::string const& d, int) { return repetition({{"product", d == "split" ? 150.0 : 50.0}}); },
                    capacity_bounds{40'000, std::nullopt}, capacity_bounds{17'000, 18'500});
  auto a = answer_of(run);
  REQUIRE(a.overall->throughput_ratio);
  CHECK_FALSE(a.overall->throughput_ratio->low);  // the monolith's capacity has no upper bound
  CHECK(*a.overall->throughput_ratio->high == Approx(18'500.0 / 40'000).margin(0.001));
  auto headline = headline_of(run, a);
  CHECK(headline.find("≥ 40000 req/s: a ratio of at most 0.46;") != std::string::npos);  // no point estimate without both bounds
  CHECK(headline.find("The split adds 100.0 µs") == 0);
}

TEST_CASE("report.json: written and read back, it gives the same answer, every field named once") {
  auto run = hand_run();
  auto a = answer_of(run);
  auto written = to_json(run, a);
  CHECK(written.at("schema").as_string() == "splitbench.report/3");
  auto text = json::serialize(written);
  auto back = run_result_from_json(json::parse(text).as_object());
  CHECK(json::serialize(to_json(back, answer_of(back))) == text);
  auto const& overall = written.at("answer").at("overall").as_object();
  CHECK(overall.at("added_p50_us_ci95").as_array().size() == 2);
  CHECK(overall.at("throughput_ratio_bounds").as_array().size() == 2);
  CHECK(written.at("answer").at("deployments").at("split").at("throughput_at_slo_bounds_rps").as_array()[1].to_number<double>() == 4400);
}

TEST_CASE("report.json: unusable input is refused in one line naming what is wrong") {
  auto run = hand_run(2);
  auto good = to_json(run, answer_of(run));
  auto refused = [](json::object const& o) {
    try {
      run_result_from_json(o);
    } catch (report_error const& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(refused(json::object{}) == "not a splitbench report (no schema)");
  auto old = good;
  old["schema"] = "splitbench.report/1";
  CHECK(refused(old).find("a splitbench.report/1 report, from an older splitbench") == 0);
  auto future = good;
  future["schema"] = "splitbench.report/99";
  CHECK(refused(future) == "report schema 'splitbench.report/99' is not one this version reads (splitbench.report/3 or splitbench.report/2)");
  auto missing = good;
  missing["deployments"].as_object()["split"].as_object().erase("compare");
  CHECK(refused(missing) == "'deployments.split.compare' is missing");
  auto wrong = good;
  wrong["deployments"].as_object()["monolith"].as_object()["compare"].as_array()[1].as_object()["rate"] = "fast";
  CHECK(refused(wrong) == "'deployments.monolith.compare[1].rate' is not a number");
  auto negative = good;
  negative["deployments"].as_object()["monolith"].as_object()["peak_rss_bytes"] = -5;
  CHECK(refused(negative) == "'deployments.monolith.peak_rss_bytes' is negative");
  auto corrupted = good;
  corrupted["deployments"].as_object()["split"].as_object()["compare"].as_array()[0].as_object()["histogram"] = "hist1 3 7 garbage";
  CHECK(refused(corrupted).find("'deployments.split.compare[0].histogram' does not decode") == 0);
  CHECK_THROWS_WITH(load_report("/nonexistent/report.json"), Catch::Contains("/nonexistent/report.json"));
}

TEST_CASE("report.md: the title and headline first, then the tables") {
  auto run = hand_run();
  auto a = answer_of(run);
  auto md = render_markdown(run, a);
  auto headline = headline_of(run, a);
  INFO(headline);
  CHECK(headline.rfind("The split adds 120.1 µs [120.0, 120.1] at p50 and 280.0 µs [280.0, 280.0] at p99 (120.0 µs for one internal hop, 4.00× a loopback round trip)", 0) == 0);  // 120.1: the histogram's bucket
  CHECK(md.rfind("# splitbench: default (", 0) == 0);
  CHECK(md.find("**" + headline + "**") < md.find("## Latency per route"));
  for (auto section : {"## Latency per route", "## Cost", "## The machine's own stalls", "## Floors, measured in the same run", "## How this was measured"})
    CHECK(md.find(section) != std::string::npos);
  for (auto route : {"| product | 1 | 1 |", "| search | 1 | 1 |", "| quote | 1 | 3 |", "| order | 2 | 4 |", "| all |"}) CHECK(md.find(route) != std::string::npos);
  CHECK(md.find("a = 100.0 µs per hop in sequence and b = 20.0 µs per call") != std::string::npos);
}

TEST_CASE("a report of one deployment renders without a comparison") {
  auto run = hand_run(3);
  run.deployments.pop_back();
  auto a = answer_of(run);
  CHECK_FALSE(a.overall);
  CHECK(headline_of(run, a).rfind("There is no comparison: the monolith and at least one other deployment", 0) == 0);
  auto md = render_markdown(run, a);
  CHECK(md.find("## Latency per route") == std::string::npos);
  CHECK(md.find("## Cost") != std::string::npos);
}

TEST_CASE("percentages: whole ones rounded, a fraction of one with its first digits") {
  CHECK(format_percent(0.001) == "0.1%");  // the sweep's default error budget, not "0%"
  CHECK(format_percent(0.0005) == "0.05%");
  CHECK(format_percent(0) == "0%");
  CHECK(format_percent(0.05) == "5%");
  CHECK(format_percent(1.0) == "100%");
  CHECK(format_percent(0.999) == "100%");
  CHECK(format_percent(std::nan("")) == "–");
}

TEST_CASE("a report of N deployments compares each with the monolith and keeps the split as its headline") {
  auto run = hand_run(6);
  // Two more topologies beside the monolith and the split: serialized adds 10 µs on every route,
  // three groups add half of the split's hops.
  for (auto [name, scale] : {std::pair{"serialized", 0.0}, std::pair{"gateway+catalog,inventory,pricing+orders", 0.5}}) {
    deployment_measurement d;
    d.name = name;
    d.processes = {{name, "127.0.0.1:9", 10 << 20}};
    d.peak_rss_bytes = 10 << 20;
    for (int rep = 0; rep < 6; ++rep) {
      double drift = rep * 3, extra = scale == 0 ? 10 : 0;
      auto added = [&](int depth, int calls) { return scale * (100.0 * depth + 20.0 * calls) + extra; };
      d.compare.push_back(repetition({{"product", 50 + drift + added(1, 1)}, {"search", 50 + drift + added(1, 1)},
                                      {"quote", 50 + drift + added(1, 3)}, {"order", 50 + drift + added(2, 4)}},
                                     30));
      d.compare_order.push_back(rep);
    }
    run.deployments.insert(run.deployments.begin() + 1, std::move(d));
  }
  auto a = answer_of(run);
  REQUIRE(a.comparisons.size() == 3);
  CHECK(a.comparisons[0].name == "gateway+catalog,inventory,pricing+orders");
  CHECK(a.comparisons[1].name == "serialized");
  CHECK(a.comparisons[2].name == "split");
  CHECK(a.compared == "split");
  CHECK(a.routes.front().added_p50.median == Approx(120));
  CHECK(a.comparisons[1].routes.front().added_p50.median == Approx(10));
  CHECK(a.comparisons[0].routes[3].added_p50.median == Approx(140));  // order: half of 280
  CHECK(a.comparisons[0].overall.per_hop.per_depth_us.value() == Approx(50));

  auto md = render_markdown(run, a);
  CHECK(md.find("## Every deployment against the monolith") != std::string::npos);
  CHECK(md.find("| deployment | processes | added p50 [95% CI] |") != std::string::npos);
  CHECK(md.find("| route | gateway+catalog,inventory,pricing+orders | serialized | split |") != std::string::npos);
  CHECK(md.find("**The split adds ") != std::string::npos);

  json::value written = to_json(run, a);
  CHECK(written.at("answer").at("compared") == "split");
  // It reads back, every deployment with it.
  auto back = run_result_from_json(written.as_object());
  CHECK(back.deployments.size() == 4);
  CHECK(answer_of(back).comparisons.size() == 3);
  auto const& c = written.at("answer").at("comparisons").as_object();
  CHECK(c.size() == 3);
  CHECK(c.at("serialized").at("routes").at("product").at("added_p50_us").to_number<double>() == Approx(10));

  // Without the split, the first other deployment is the headline.
  run.deployments.pop_back();
  auto without = answer_of(run);
  CHECK(without.compared == "gateway+catalog,inventory,pricing+orders");
  CHECK(render_markdown(run, without).find("**The gateway+catalog,inventory,pricing+orders deployment adds ") != std::string::npos);
}

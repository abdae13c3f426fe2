#include "bench/report/compare.hpp"
#include "core/random.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;

namespace {

/// Both deployments, every route at a base latency scaled by scale(deployment, route, rep).
template <class Scale>
run_result scaled(int reps, Scale scale, histograms kind = histograms::kept) {
  return run_of(reps, [&](std::string const& d, int rep) {
    auto base = d == "split" ? 150.0 : 50.0;
    return repetition({{"product", base * scale(d, "product", rep)}, {"search", base * scale(d, "search", rep)},
                       {"quote", base * 2 * scale(d, "quote", rep)}, {"order", base * 3 * scale(d, "order", rep)}},
                      (d == "split" ? 80 : 20) * scale(d, "cpu", rep), 500, kind);
  });
}

auto unchanged = [](std::string const&, std::string const&, int) { return 1.0; };

}  // namespace

TEST_CASE("compare: identical reports raise nothing") {
  auto base = scaled(10, unchanged);
  auto c = compare_reports(base, base, 0.10);
  CHECK_FALSE(c.regressed());
  CHECK(c.failed_gates.empty());
  for (auto const& m : c.metrics) CHECK((m.result == verdict::unchanged || m.result == verdict::info));
}

TEST_CASE("compare: a clear regression is flagged, naming the figure, the exact test and its p-value") {
  splitbench::splitmix64 rng(1);
  auto noise = [&rng] { return 0.97 + 0.06 * static_cast<double>(rng.below(1'000)) / 1'000; };
  auto base = scaled(7, [&](auto const&, auto const&, int) { return noise(); });
  auto slower = scaled(7, [&](std::string const& d, std::string const& route, int) { return (d == "split" && route == "quote" ? 3.0 : 1.0) * noise(); });
  auto c = compare_reports(base, slower, 0.10);
  CHECK(c.regressed());
  int regressed = 0;
  for (auto const& m : c.metrics) {
    if (m.result != verdict::regressed) continue;
    ++regressed;
    CHECK(m.deployment == "split");
    CHECK(m.test.exact);
    CHECK(m.test.p == Approx(2.0 / 3432));  // 7 against 7, every new value above every old one
    if (m.route == "all") CHECK(m.metric == "latency p99");  // the slowest route now sets the overall tail
    else CHECK((m.route == "quote" && m.change > 1.5));
  }
  CHECK(regressed == 3);  // quote's p50 and p99, and the overall p99
  CHECK(to_markdown(c).find("| split | quote | latency p50 |") != std::string::npos);
  CHECK(to_json(c).at("regressed").as_bool());
  CHECK_FALSE(compare_reports(slower, base, 0.10).regressed());  // the other way round: improved
}

TEST_CASE("compare: the false-alarm rate over many seeds of pure noise stays under alpha") {
  // Every repetition spread ±30% around the same centre; each comparison tests 22 figures at
  // once, Holm-corrected, so the chance of any false alarm must stay at or under alpha = 5%.
  int alarms = 0, trials = 400;
  for (int seed = 1; seed <= trials; ++seed) {
    splitbench::splitmix64 rng(static_cast<std::uint64_t>(seed));
    auto wide = [&rng] { return 0.7 + 0.6 * static_cast<double>(rng.below(1'000'000)) / 1'000'000; };
    auto base = scaled(10, [&](auto const&, auto const&, int) { return wide(); }, histograms::omitted);
    auto noisy = scaled(10, [&](auto const&, auto const&, int) { return wide(); }, histograms::omitted);
    if (compare_reports(base, noisy, 0.10).regressed()) ++alarms;
  }
  INFO(alarms << " false alarms in " << trials);
  CHECK(alarms <= trials * 5 / 100);
  // A small consistent change below the threshold is "unchanged" however significant.
  auto a = scaled(10, [](auto const&, auto const&, int rep) { return 1.0 + 0.001 * rep; });
  auto b = scaled(10, [](auto const&, auto const&, int rep) { return 1.05 + 0.001 * rep; });
  auto s = compare_reports(a, b, 0.10);
  CHECK_FALSE(s.regressed());
}

TEST_CASE("compare: too few repetitions are said, not silently passed") {
  auto few = scaled(3, unchanged);
  auto c = compare_reports(few, few, 0.10);
  REQUIRE_FALSE(c.notes.empty());
  CHECK(c.notes.back().find("no change can be called a regression; use 6 or more repetitions") != std::string::npos);
}

TEST_CASE("compare: gates beside the figures") {
  auto base = scaled(10, unchanged);
  auto gate_of = [&](run_result const& now) {
    auto c = compare_reports(base, now, 0.10);
    CHECK(c.regressed());
    return c.failed_gates.empty() ? std::string() : c.failed_gates.front();
  };
  auto died = base;
  died.deployments[1].failure = "gateway (pid 7) killed by signal 9; log x:\n...";
  CHECK(gate_of(died) == "split failed during the new run: gateway (pid 7) killed by signal 9; log x:");
  auto errors = base;
  for (auto& r : errors.deployments[0].compare) r.errors = r.requests / 100;  // 1%
  CHECK(gate_of(errors).find("monolith: errors rose from 0.000% to 1.000%") == 0);
  auto timeouts = base;
  for (auto& r : timeouts.deployments[1].compare) r.timeouts = r.requests / 50;
  CHECK(gate_of(timeouts).find("split: timeouts rose") == 0);
  auto unsent = base;
  for (auto& r : unsent.deployments[1].compare) r.unsent = r.requests / 20;
  CHECK(gate_of(unsent).find("split: unsent requests rose") == 0);
  auto partial = base;
  partial.partial = true;
  CHECK(gate_of(partial) == "the new report is partial: the run was interrupted");
  auto missing = base;
  missing.deployments.pop_back();
  CHECK(gate_of(missing) == "'split' is only in the base report");
  auto no_route = base;
  for (auto& r : no_route.deployments[0].compare) r.routes.pop_back();
  CHECK(gate_of(no_route) == "monolith: latency p50 of order is missing from the new report");
  auto slower = base;
  slower.deployments[1].capacity = capacity_bounds{3'000, 3'300};  // below [4000, 4400] by more than 10%
  CHECK(gate_of(slower).find("split: throughput at the SLO 3000–3300 req/s is below the base's 4000–4400 req/s") == 0);
  auto within = base;
  within.deployments[1].capacity = capacity_bounds{3'800, 4'100};  // overlaps within the threshold
  CHECK_FALSE(compare_reports(base, within, 0.10).regressed());
}

TEST_CASE("compare: a p99 the machine's stalls explain is shown, not tested") {
  auto base = scaled(8, unchanged);
  auto stalled = scaled(8, [](std::string const& d, std::string const&, int) { return d == "split" ? 3.0 : 1.0; });
  for (auto& r : stalled.deployments[1].compare) r.hiccups.count = 1000, r.hiccups.p99 = r.latency.p99 / 2;
  auto c = compare_reports(base, stalled, 0.10);
  for (auto const& m : c.metrics)
    if (m.deployment == "split" && m.metric == "latency p99") CHECK(m.result == verdict::info);
    else if (m.deployment == "split" && m.metric == "latency p50") CHECK(m.result == verdict::regressed);
  CHECK(c.notes.front().find("split: the machine's own stalls were of the order of p99 in the new report") == 0);
}

TEST_CASE("compare: reports of different scenarios or settings are refused") {
  auto base = scaled(7, unchanged);
  auto other = base;
  other.scenario.name = "ci";
  CHECK_THROWS_WITH(compare_reports(base, other, 0.1), "reports of different scenarios: 'default' and 'ci'");
  auto changed = base;
  changed.scenario.toml.replace(changed.scenario.toml.find("rate = 500"), 10, "rate = 900");
  CHECK_THROWS_AS(compare_reports(base, changed, 0.1), compare_error);
  auto injected = base;  // injected latency is what a comparison is often about: allowed
  injected.scenario.toml.replace(injected.scenario.toml.find("inject_latency = []"), 19, "inject_latency = [\"pricing=300us\"]");
  CHECK_NOTHROW(compare_reports(base, injected, 0.1));
}

#include "bench/report/compare.hpp"
#include "bench/driver/files.hpp"
#include "bench/report/statistics.hpp"
#include "core/random.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
namespace json = boost::json;

TEST_CASE("Mann-Whitney U: exact p-values for small samples") {
  auto r = mann_whitney_u({1, 2, 3}, {4, 5, 6});
  CHECK(r.exact);
  CHECK(r.u == 0);
  CHECK(r.p == Approx(0.1));  // 2 of the C(6,3) = 20 orderings are this extreme
  CHECK(mann_whitney_u({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}).p == Approx(2.0 / 252));
  CHECK(mann_whitney_u({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5}).p == Approx(2.0 / 252));  // two-sided
  CHECK(mann_whitney_u({1, 3, 5, 7, 9}, {2, 4, 6, 8, 10}).p == Approx(1.0).margin(0.35));
  CHECK(mann_whitney_u({}, {1}).p == 1);
  CHECK(smallest_p(3, 3) == Approx(0.1));
  CHECK(smallest_p(5, 5) == Approx(2.0 / 252));
  CHECK(smallest_p(2, 2) == Approx(1.0 / 3));
}

TEST_CASE("Mann-Whitney U: ties take the normal approximation with corrections") {
  auto same = mann_whitney_u({5, 5, 5, 5}, {5, 5, 5, 5});
  CHECK_FALSE(same.exact);
  CHECK(same.p == 1);
  auto apart = mann_whitney_u({1, 1, 2, 2, 3, 3, 4, 4}, {9, 9, 8, 8, 7, 7, 6, 6});
  CHECK_FALSE(apart.exact);
  CHECK(apart.p < 0.001);
}

namespace {

/// The stored report with `reps` compare runs per deployment, each a copy of the first with its
/// latency and CPU figures multiplied by scale(deployment, route, repetition).
template <class Scale>
json::object with_repetitions(int reps, Scale scale) {
  auto report = json::parse(read_file(SPLITBENCH_FIXTURES_DIR "/report.json")).as_object();
  for (auto& [name, d] : report["deployments"].as_object()) {
    auto& runs = d.as_object()["compare"].as_array();
    auto first = runs[0].as_object();
    runs.clear();
    for (int rep = 0; rep < reps; ++rep) {
      auto run = first;
      auto scale_latency = [&](json::object& lat, std::string const& route) {
        for (auto key : {"p50", "p99"}) lat[key] = json::value_to<double>(lat[key]) * scale(std::string(name), route, rep);
      };
      scale_latency(run["latency_us"].as_object(), "all");
      for (auto& [route, r] : run["routes"].as_object()) scale_latency(r.as_object()["latency_us"].as_object(), std::string(route));
      run["cpu_us_per_request"] = json::value_to<double>(run["cpu_us_per_request"]) * scale(std::string(name), "cpu", rep);
      runs.push_back(std::move(run));
    }
  }
  return report;
}

auto unchanged = [](std::string const&, std::string const&, int) { return 1.0; };

}  // namespace

TEST_CASE("compare: identical reports raise nothing") {
  auto base = with_repetitions(7, unchanged);
  auto c = compare_reports(base, base, 0.10);
  CHECK_FALSE(c.regressed());
  for (auto const& m : c.metrics) CHECK((m.result == verdict::unchanged || m.result == verdict::info));
}

TEST_CASE("compare: a clear regression is flagged, naming the figure, the test and its p-value") {
  splitbench::splitmix64 rng(1);
  auto noise = [&rng] { return 0.97 + 0.06 * static_cast<double>(rng.below(1'000)) / 1'000; };
  auto base = with_repetitions(7, [&](auto const&, auto const&, int) { return noise(); });
  auto slower = with_repetitions(7, [&](std::string const& d, std::string const& route, int) {
    return (d == "split" && route == "quote" ? 3.0 : 1.0) * noise();
  });
  auto c = compare_reports(base, slower, 0.10);
  CHECK(c.regressed());
  int regressed = 0;
  for (auto const& m : c.metrics) {
    if (m.result != verdict::regressed) continue;
    ++regressed;
    CHECK(m.deployment == "split");
    CHECK(m.route == "quote");
    CHECK(m.test.p == Approx(2.0 / 3432));  // 7 against 7, every new value above every old one
    CHECK(m.change > 1.5);
  }
  CHECK(regressed == 2);  // p50 and p99
  CHECK(to_markdown(c).find("| split | quote | latency p50 |") != std::string::npos);
  CHECK(to_json(c).at("regressed").as_bool());
  // The other way round it is an improvement, and nothing regressed.
  auto back = compare_reports(slower, base, 0.10);
  CHECK_FALSE(back.regressed());
}

TEST_CASE("compare: a change inside the noise is never a regression") {
  // Noise only: every repetition spread ±30% around the same centre, many times over. Each
  // comparison tests 22 figures at once; without a correction some would look significant.
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    splitbench::splitmix64 rng(seed);
    auto wide = [&rng] { return 0.7 + 0.6 * static_cast<double>(rng.below(1'000)) / 1'000; };
    auto base = with_repetitions(7, [&](auto const&, auto const&, int) { return wide(); });
    auto noisy = with_repetitions(7, [&](auto const&, auto const&, int) { return wide(); });
    INFO("seed " << seed);
    REQUIRE_FALSE(compare_reports(base, noisy, 0.10).regressed());
  }
  // A small consistent change below the threshold is "unchanged" however significant.
  auto slightly = with_repetitions(7, [](auto const&, auto const&, int rep) { return 1.05 + 0.001 * rep; });
  auto s = compare_reports(with_repetitions(7, [](auto const&, auto const&, int rep) { return 1.0 + 0.001 * rep; }), slightly, 0.10);
  CHECK_FALSE(s.regressed());
  for (auto const& m : s.metrics) CHECK((m.result == verdict::unchanged || m.result == verdict::info));
}

TEST_CASE("compare: too few repetitions are said, not silently passed") {
  auto few = with_repetitions(3, unchanged);
  auto c = compare_reports(few, few, 0.10);
  REQUIRE_FALSE(c.notes.empty());
  CHECK(c.notes.back().find("no change can be called a regression; use 6 or more repetitions") != std::string::npos);
}

TEST_CASE("compare: unusable input is an error saying why") {
  auto base = with_repetitions(7, unchanged);
  auto other = base;
  other["scenario"].as_object()["name"] = "ci";
  CHECK_THROWS_WITH(compare_reports(base, other, 0.1), "reports of different scenarios: 'default' and 'ci'");
  auto changed = base;
  auto toml = std::string(changed["scenario"].at("toml").as_string());
  toml.replace(toml.find("rate = "), 7, "rate = 9");
  changed["scenario"].as_object()["toml"] = toml;
  CHECK_THROWS_AS(compare_reports(base, changed, 0.1), compare_error);
  auto injected = base;  // injected latency is what a comparison is often about: allowed
  auto t = std::string(injected["scenario"].at("toml").as_string());
  t.replace(t.find("inject_latency = []"), 19, "inject_latency = [\"pricing=300us\"]");
  injected["scenario"].as_object()["toml"] = t;
  CHECK_NOTHROW(compare_reports(base, injected, 0.1));
  CHECK_THROWS_WITH(load_report("/nonexistent/report.json"), "cannot read /nonexistent/report.json");
}

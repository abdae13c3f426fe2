// --network-delay: the split's callers hold each direction of every call to a peer for a draw of
// the distribution, so the product route (one internal hop) answers two draws later.

#include "bench/driver/files.hpp"
#include "bench/report/report_json.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

/// The split's product route's p50 over a short run, in µs, with `extra` arguments.
double product_p50(std::string const& results, std::vector<std::string> extra) {
  std::vector<std::string> argv{bin("splitbench"), "run", "--deployment", "split", "--results", results, "--set", "repetitions=2", "--set",
                                "compare.duration=1s", "--set", "compare.rate=200", "--set", "driver.warmup=300ms", "--set", "sweep.enabled=false"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = run(argv);
  INFO(r.output);
  REQUIRE(r.status == 0);
  auto report = bench::run_result_from_json(json::parse(bench::read_file(results + "/latest/report.json")).as_object());
  auto const* split = report.find("split");
  REQUIRE(split);
  std::vector<double> p50s;
  for (auto const& m : split->compare)
    for (auto const& route : m.routes)
      if (route.name == "product") p50s.push_back(route.latency.p50);
  REQUIRE(p50s.size() == 2);
  return (p50s[0] + p50s[1]) / 2;
}

}  // namespace

TEST_CASE("a network delay of 1ms raises the product route's p50 by about 2 ms: one hop, both directions") {
  auto dir = std::filesystem::temp_directory_path() / ("splitbench-delay-" + std::to_string(::getpid()));
  auto without = product_p50(dir / "without", {});
  auto with = product_p50(dir / "with", {"--network-delay", "1ms"});
  INFO("product p50 without " << without << " µs, with 1ms each way " << with << " µs");
  CHECK(with - without == Approx(2'000).epsilon(0.15));
  auto report = bench::read_file((dir / "with/latest/report.md").string());
  CHECK(report.find("the split's callers add a one-way delay drawn from 1ms to each direction of every call to a peer") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a bad network delay is refused in one line") {
  check_refused({"run", "--network-delay", "fast"},
                "--network-delay: unknown delay distribution 'fast': use a duration (2ms), uniform(LOW,HIGH), normal(MEAN,STDDEV), "
                "lognormal(MEDIAN,SIGMA) or empirical(FILE)");
  check_refused({"up", "--deployment", "split", "--network-delay", "uniform(3ms,1ms)"}, "--network-delay: 'uniform(3ms,1ms)': the low bound is above the high one");
  check_refused({"run", "--network-delay", "empirical(/nonexistent/rtt.txt)"},
                "--network-delay: empirical(/nonexistent/rtt.txt): cannot read /nonexistent/rtt.txt");
  check_refused({"run", "--target", "split=http://127.0.0.1:9", "--network-delay", "1ms"},
                "--network-delay shapes deployments started here; with --target they run elsewhere");
}

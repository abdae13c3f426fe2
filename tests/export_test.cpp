// `splitbench export --format gbench` as Google Benchmark's tools meet it: compare.py's own
// loader (gbench/util.py) reads the export of a real report, and compare.py diffs two exports
// where scipy, which its statistics need, imports. Unusable input: one line, exit status 2.

#include "processes.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/files.hpp"

#include <boost/json.hpp>

#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

std::string const baseline = std::string(SPLITBENCH_SOURCE_DIR) + "/results/baseline/default";
std::string const gbench_tools = "/usr/share/benchmark";  // Debian's libbenchmark-tools

/// Loads `file` with compare.py's loader, as compare.py does before it compares, and checks what
/// its report module reads of every run; prints "loaded N runs of M names".
char const* const load_with_gbench_util = R"(
import sys
sys.path.insert(0, sys.argv[1])
from gbench import util
kind, message = util.classify_input_file(sys.argv[2])
assert kind == util.IT_JSON, message
doc = util.sort_benchmark_results(util.run_or_load_benchmark(sys.argv[2], []))
runs = doc['benchmarks']
for b in runs:
    assert b['run_type'] in ('iteration', 'aggregate'), b
    assert b['time_unit'] == 'us' and b['real_time'] >= 0 and b['cpu_time'] == b['real_time'], b
    assert b['name'] == (b['run_name'] if b['run_type'] == 'iteration' else b['run_name'] + '_' + b['aggregate_name']), b
print('loaded %d runs of %d names' % (len(runs), len({b['run_name'] for b in runs})))
)";

}  // namespace

TEST_CASE("splitbench export --format gbench: compare.py's loader reads the export of the committed baseline") {
  REQUIRE(std::filesystem::exists(gbench_tools + "/gbench/util.py"));  // scripts/install-deps.sh --bench installs it
  auto dir = bench::make_temp_dir("splitbench-export");
  auto out = dir + "/baseline.json";
  auto r = run({bin("splitbench"), "export", "--format", "gbench", baseline, "--out", out});
  CHECK(r.status == 0);
  CHECK(r.output == "");

  auto doc = json::parse(bench::read_file(out)).as_object();
  auto const& runs = doc.at("benchmarks").as_array();
  std::size_t product_p50 = 0;
  for (auto const& b : runs)
    if (b.at("name").as_string() == "split/product/p50") ++product_p50;
  CHECK(product_p50 == 10);  // the baseline's ten counted repetitions of the split

  auto loaded = run({"/usr/bin/python3", "-c", load_with_gbench_util, gbench_tools, out});
  INFO(loaded.output);
  CHECK(loaded.status == 0);
  // Both deployments: all (6 figures) and 4 routes (5 figures each) = 26 names each; 10 runs and
  // 4 aggregates of each name.
  CHECK(loaded.output == "loaded 728 runs of 52 names\n");

  // compare.py's own statistics need scipy; where it imports, the whole tool runs on two exports.
  if (run({"/usr/bin/python3", "-c", "import scipy"}).status == 0) {
    auto compared = run({"/usr/bin/python3", gbench_tools + "/compare.py", "benchmarks", out, out});
    INFO(compared.output);
    CHECK(compared.status == 0);
    CHECK(compared.output.find("split/product/p50") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("splitbench export: the JSON goes to standard output without --out") {
  auto r = run({bin("splitbench"), "export", "--format", "gbench", baseline + "/report.json"});
  REQUIRE(r.status == 0);
  auto doc = json::parse(r.output).as_object();
  CHECK(doc.at("context").as_object().at("library_build_type").as_string() == "release");
}

TEST_CASE("splitbench export: unusable input gets one line and exit status 2") {
  auto one_line = [](run_result const& r) {
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  };
  one_line(run({bin("splitbench"), "export", "--format", "gbench", "/nonexistent/report.json"}));
  one_line(run({bin("splitbench"), "export", "--format", "gbenc", baseline}));
  one_line(run({bin("splitbench"), "export", baseline}));  // --format is required
  auto dir = bench::make_temp_dir("splitbench-export-bad");
  bench::write_file_atomically(dir + "/report.json", "{\"schema\": \"splitbench.report/2\"}");
  one_line(run({bin("splitbench"), "export", "--format", "gbench", dir}));
  std::filesystem::remove_all(dir);
}

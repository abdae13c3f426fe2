// `splitbench compare` as a CI job meets it: exit 0 for no regression, 1 for one, and 2 with
// one line, at once, for input it cannot use.

#include "processes.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/files.hpp"
#include "bench/report/report_json.hpp"
#include "bench/report/tests/synthetic.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

std::string write_report(std::string const& dir, std::string const& name, json::object const& report) {
  auto path = dir + "/" + name;
  bench::write_file_atomically(path, json::serialize(report));
  return path;
}

json::object a_report(double split_us) {
  auto run = bench::testing::run_of(8, [&](std::string const& d, int rep) {
    return bench::testing::repetition({{"product", (d == "split" ? split_us : 50.0) + rep}});
  });
  return bench::to_json(run, bench::answer_of(run));
}

}  // namespace

TEST_CASE("splitbench compare: exit 0, 1, and 2 with one line within a second for unusable input") {
  auto dir = bench::make_temp_dir("splitbench-compare-cli");
  auto base = write_report(dir, "base.json", a_report(150));
  auto same = write_report(dir, "same.json", a_report(150));
  auto slower = write_report(dir, "slower.json", a_report(600));
  CHECK(run({bin("splitbench"), "compare", base, same}).status == 0);
  auto r = run({bin("splitbench"), "compare", base, slower});
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("REGRESSION") != std::string::npos);

  auto old = a_report(150);
  old["schema"] = "splitbench.report/1";
  auto corrupted = a_report(150);
  corrupted["deployments"].as_object()["split"].as_object()["compare"].as_array()[0].as_object()["histogram"] = "hist1 3 99999 x";
  auto truncated = json::serialize(a_report(150));
  truncated.resize(truncated.size() / 2);
  bench::write_file_atomically(dir + "/truncated.json", truncated);
  std::vector<std::pair<std::string, std::string>> unusable = {
      {dir + "/missing.json", "cannot read " + dir + "/missing.json"},
      {dir + "/truncated.json", "is not JSON"},
      {write_report(dir, "old.json", old), "splitbench.report/1 report, from an older splitbench"},
      {write_report(dir, "corrupted.json", corrupted), "'deployments.split.compare[0].histogram' does not decode"},
  };
  for (auto const& [path, says] : unusable) {
    auto started = std::chrono::steady_clock::now();
    auto bad = run({bin("splitbench"), "compare", base, path});
    INFO(bad.output);
    CHECK(bad.status == 2);
    CHECK(bad.output.find(says) != std::string::npos);
    CHECK(std::count(bad.output.begin(), bad.output.end(), '\n') == 1);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  }
}

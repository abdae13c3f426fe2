// The breakdown from hand-made measurements: each deployment's parts against the monolith's, the
// section that prints them, and the JSON that keeps them.

#include "bench/report/breakdown.hpp"
#include "bench/report/markdown.hpp"
#include "bench/report/report_json.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;
namespace json = boost::json;

namespace {

breakdown_measurement two_deployments() {
  breakdown_measurement m;
  m.rate = 500;
  m.seconds = 10;
  // name, responses, missing, latency, queue, logic, codec, framing
  m.deployments.push_back({"monolith", {{"product", 2'000, 0, 80, 2, 2, 3, 72}, {"quote", 800, 0, 120, 2, 15, 20, 80}}});
  m.deployments.push_back({"gateway+catalog,inventory,pricing+orders", {{"quote", 800, 0, 300, 4, 9, 30, 250}}});
  m.deployments.push_back({"split", {{"product", 2'000, 0, 180, 3, 4, 9, 160}, {"quote", 800, 3, 400, 4, 8, 31, 340}}});
  return m;
}

}  // namespace

TEST_CASE("breakdown: each deployment's routes against the monolith's, part by part") {
  auto rows = added_latency(two_deployments());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].deployment == "gateway+catalog,inventory,pricing+orders");
  CHECK(rows[0].route == "quote");
  CHECK(rows[0].added_us == 180);
  CHECK(rows[0].logic_us == -6);
  CHECK(rows[0].parts_us() == 2 - 6 + 10 + 170);
  CHECK(*rows[0].mismatch() == Approx(4.0 / 180));
  CHECK(rows[1].deployment == "split");
  CHECK(rows[1].route == "product");
  CHECK(rows[1].added_us == 100);
  CHECK(rows[1].framing_us == 88);
  CHECK(*rows[1].mismatch() == Approx(0.03));
  // Without a monolith there is nothing to compare with; with nothing added, no mismatch.
  auto m = two_deployments();
  m.deployments.erase(m.deployments.begin());
  CHECK(added_latency(m).empty());
  added_breakdown none;
  CHECK_FALSE(none.mismatch());
}

TEST_CASE("breakdown: the section of report.md and the report JSON, read back") {
  auto run = four_routes();
  CHECK(breakdown_markdown(run).empty());
  run.breakdown = two_deployments();
  auto md = breakdown_markdown(run);
  INFO(md);
  CHECK(md.rfind("## Breakdown of the added latency\n", 0) == 0);
  CHECK(md.find("| split | product | 100.0 | 2.0 | 6.0 | 88.0 | 1.0 | 97.0 | 3.0% |") != std::string::npos);
  CHECK(md.find("| split | quote | 400.0 | 8.0 | 31.0 | 340.0 | 4.0 | 800 (3 without timing) |") != std::string::npos);
  CHECK(render_markdown(run, answer_of(run)).find("## Breakdown of the added latency") != std::string::npos);

  auto written = to_json(run, answer_of(run));
  auto text = json::serialize(written);
  auto back = run_result_from_json(json::parse(text).as_object());
  REQUIRE(back.breakdown);
  REQUIRE(back.breakdown->deployments.size() == 3);
  CHECK(back.breakdown->deployments[1].name == "gateway+catalog,inventory,pricing+orders");
  CHECK(back.breakdown->deployments[2].routes[1].missing == 3);
  CHECK(back.breakdown->deployments[2].routes[1].framing_us == 340);
  CHECK(json::serialize(to_json(back, answer_of(back))) == text);
  // A report from before the breakdown reads as having none.
  written.erase("breakdown");
  CHECK_FALSE(run_result_from_json(written).breakdown);
}

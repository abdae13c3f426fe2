#include "bench/driver/files.hpp"
#include "bench/report/report.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
namespace json = boost::json;

namespace {
/// A real report of a short run of both deployments, kept as a fixture.
json::object fixture() { return json::parse(read_file(SPLITBENCH_FIXTURES_DIR "/report.json")).as_object(); }
}  // namespace

TEST_CASE("a stored report is valid and its answer derives again exactly from its measurements") {
  auto report = fixture();
  CHECK_NOTHROW(check_report(report));
  CHECK(answer_of(report) == report.at("answer").as_object());
}

TEST_CASE("the answer's figures are consistent with the measurements") {
  auto report = fixture();
  auto const& answer = report.at("answer").as_object();
  auto const& all = answer.at("routes").at("all").as_object();
  CHECK(all.at("added_p50_us").to_number<double>() ==
        Approx(all.at("split_p50_us").to_number<double>() - all.at("monolith_p50_us").to_number<double>()).margin(0.011));
  auto const& order = answer.at("routes").at("order").as_object();
  CHECK(order.at("hops").as_int64() == 2);
  CHECK(order.at("added_per_hop_p50_us").to_number<double>() == Approx(order.at("added_p50_us").to_number<double>() / 2).margin(0.011));
  auto const& mono = answer.at("deployments").at("monolith").as_object();
  auto const& split = answer.at("deployments").at("split").as_object();
  CHECK(mono.at("processes").as_int64() == 1);
  CHECK(split.at("processes").as_int64() == 5);
  CHECK(answer.at("overall").at("cpu_ratio").to_number<double>() ==
        Approx(split.at("cpu_us_per_request").to_number<double>() / mono.at("cpu_us_per_request").to_number<double>()).epsilon(0.002));
}

TEST_CASE("report.md: the headline first, then the tables") {
  auto report = fixture();
  auto md = render_markdown(report);
  auto headline = headline_of(report);
  CHECK(headline.rfind("The split adds ", 0) == 0);
  CHECK(md.rfind("# splitbench: ", 0) == 0);
  CHECK(md.find("**" + headline + "**") < md.find("## Latency per route"));
  for (auto section : {"## Latency per route", "## Cost", "## Sweep", "## Floors, measured in the same run", "## How this was measured"})
    CHECK(md.find(section) != std::string::npos);
  for (auto route : {"| product | 1 |", "| search | 1 |", "| quote | 1 |", "| order | 2 |", "| all |"}) CHECK(md.find(route) != std::string::npos);
  CHECK(md.find("```toml\nname = ") != std::string::npos);
}

TEST_CASE("a report of one deployment renders without a comparison") {
  auto report = fixture();
  report["deployments"].as_object().erase("split");
  report["answer"] = answer_of(report);
  CHECK_FALSE(report["answer"].as_object().contains("overall"));
  CHECK(headline_of(report).rfind("Only one deployment", 0) == 0);
  auto md = render_markdown(report);
  CHECK(md.find("## Latency per route") == std::string::npos);
  CHECK(md.find("## Sweep") != std::string::npos);
}

TEST_CASE("reports this version cannot read are refused, saying why") {
  auto report = fixture();
  report["schema"] = "splitbench.report/99";
  CHECK_THROWS_WITH(check_report(report), Catch::Contains("report schema 'splitbench.report/99' is not one this version reads"));
  auto missing = fixture();
  missing.erase("deployments");
  CHECK_THROWS_WITH(check_report(missing), "report has no 'deployments'");
  CHECK_THROWS_WITH(check_report(json::object{}), "not a splitbench report (no schema)");
}

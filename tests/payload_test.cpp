// The payload phase through the real binaries: the search at two limits and the quote at two
// numbers of lines against the monolith and the split, every step answered without error, the
// bytes on the split's hops growing with the limit and the lines, and the report holding it all.

#include "bench/driver/files.hpp"
#include "bench/report/payload.hpp"
#include "bench/report/report_json.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

TEST_CASE("payload: every step of both sweeps has windows of both deployments, and the bytes per hop grow with the limit and the lines") {
  auto results = bench::make_temp_dir("splitbench-payload-test");
  auto r = run({bin("splitbench"), "run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/payload.toml", "--results", results, "--set",
                "repetitions=1", "--set", "compare.duration=300ms", "--set", "driver.warmup=100ms", "--set", "payload.limits=[1, 100]", "--set",
                "payload.lines=[1, 50]", "--set", "payload.repetitions=2", "--set", "payload.duration=300ms", "--set", "payload.rate=200"});
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("[payload limit 100, 2/2] split at 200 req/s") != std::string::npos);
  CHECK(r.output.find("[payload lines 50, 1/2] monolith at 200 req/s") != std::string::npos);
  auto report = bench::load_report(results + "/latest");
  REQUIRE(report.payload);
  auto const& steps = report.payload->steps;
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].sweep == "response");
  CHECK(steps[1].size == 100);
  CHECK(steps[1].request == "GET /api/products?q=lamp&limit=100");
  CHECK(steps[3].sweep == "request");
  CHECK(steps[3].size == 50);
  REQUIRE(steps[0].hops.size() == 1);
  CHECK(steps[0].hops[0].name == "catalog /internal/search");
  REQUIRE(steps[3].hops.size() == 3);
  CHECK(steps[3].hops[2].name == "pricing /internal/quote");
  // A hundred products answered are some hundred times one; fifty lines, every hop's both ways.
  CHECK(steps[1].hops[0].response_bytes > 50 * steps[0].hops[0].response_bytes);
  CHECK(steps[1].hops[0].request_bytes == steps[0].hops[0].request_bytes + 2);  // "limit":100 against "limit":1
  CHECK(steps[3].hop_bytes > 20 * steps[2].hop_bytes);
  for (std::size_t h = 0; h < 3; ++h) {
    CHECK(steps[3].hops[h].request_bytes > steps[2].hops[h].request_bytes);
    CHECK(steps[3].hops[h].response_bytes > steps[2].hops[h].response_bytes);
  }
  for (auto const& step : steps) {
    REQUIRE(step.deployments.size() == 2);
    CHECK(step.deployments[0].deployment == "monolith");
    CHECK(step.deployments[1].deployment == "split");
    for (auto const& d : step.deployments) {
      REQUIRE(d.runs.size() == 2);
      for (auto const& m : d.runs) {
        CHECK(m.responses > 0);
        CHECK(m.errors == 0);
        REQUIRE(m.routes.size() == 1);
        CHECK(m.routes[0].name == (step.sweep == "response" ? "search" : "quote"));
        CHECK(m.routes[0].calls == (step.sweep == "response" ? 1 : 3));
      }
    }
  }
  auto a = bench::payload_answer_of(report);
  REQUIRE(a);
  REQUIRE(a->series.size() == 2);
  for (auto const& s : a->series) {
    CHECK(s.deployment == "split");
    CHECK(s.points.size() == 2);
    CHECK(s.fit);  // two clean points: a line, whatever its slope
  }
  auto written = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
  CHECK(written.at("payload").at("steps").as_array().size() == 4);
  CHECK(written.at("answer").at("payload").at("series").as_array().size() == 2);
  auto markdown = bench::read_file(results + "/latest/report.md");
  CHECK(markdown.find("\n## Payload size\n") != std::string::npos);
  CHECK(markdown.find("Response size (the search's limit):") != std::string::npos);
  std::filesystem::remove_all(results);
}

TEST_CASE("payload: with one deployment there is nothing to compare, and the report says the phase did not run") {
  auto results = bench::make_temp_dir("splitbench-payload-one-test");
  auto r = run({bin("splitbench"), "run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/payload.toml", "--results", results, "--deployment",
                "split", "--set", "repetitions=1", "--set", "compare.duration=300ms", "--set", "driver.warmup=100ms"});
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("[payload") == std::string::npos);
  auto report = bench::load_report(results + "/latest");
  CHECK_FALSE(report.payload);
  CHECK(std::find(report.warnings.begin(), report.warnings.end(),
                  "the payload phase was not run: it compares each deployment with the monolith, and they were not both measured") !=
        report.warnings.end());
  std::filesystem::remove_all(results);
}

TEST_CASE("payload: sizes that cannot be sent are refused before anything starts, in one line with status 2") {
  auto sb = bin("splitbench");
  check_usage_error({sb, "run", "--set", "payload.lines=[0, 10]"}, "'payload.lines' must list whole numbers from 1 to 50 (the quote's lines)");
  check_usage_error({sb, "run", "--set", "payload.limits=[10, 5]"}, "'payload.limits' must rise, like [1, 10, 100]: 5 is not above the one before");
  check_usage_error({sb, "run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/payload.toml", "--set", "payload.lines=[]", "--set",
                     "payload.limits=[]"},
                    "payload.limits and payload.lines are both empty: nothing to sweep");
}

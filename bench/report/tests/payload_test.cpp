// The payload figures from hand-made measurements: the line fitted to added latency against
// bytes, exact on points that lie on a line; the paired added latency at each step; a step with
// errors shown and never fitted; the section that prints them and the JSON that keeps them.

#include "bench/report/markdown.hpp"
#include "bench/report/payload.hpp"
#include "bench/report/report_json.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;
namespace json = boost::json;

namespace {

/// The split's added p50 at `bytes`: 40 µs and 2 µs per KiB, as the points below lie.
double added_at(std::uint64_t bytes) { return 40 + 2.0 * static_cast<double>(bytes) / 1024; }

/// A payload phase of three response steps and two request steps, three rounds each; the
/// monolith at 100 µs plus the round's drift, the split `added_at` its bytes later. The split's
/// second round at the request sweep's 50 lines had `errors` errors.
payload_measurement payload_of(std::uint64_t errors = 0) {
  payload_measurement p;
  p.rate = 500;
  struct size {
    char const* sweep;
    int n;
    std::uint64_t request, response;
  };
  for (auto s : {size{"response", 1, 60, 1'000}, size{"response", 10, 60, 10'180}, size{"response", 100, 61, 101'379},
                 size{"request", 1, 300, 724}, size{"request", 50, 15'000, 36'200}}) {
    payload_step step{s.sweep, s.n, "test", {{"catalog /internal/test", s.request, s.response}}, s.request + s.response, {}};
    for (char const* who : {"monolith", "split"}) {
      payload_runs runs{who, {}};
      for (int rep = 0; rep < 3; ++rep) {
        double us = 100 + rep * 5 + (std::string(who) == "split" ? added_at(step.hop_bytes) : 0);
        runs.runs.push_back(repetition({{std::string(s.sweep) == "response" ? "search" : "quote", us}}));
      }
      step.deployments.push_back(std::move(runs));
    }
    p.steps.push_back(std::move(step));
  }
  p.steps.back().deployments.back().runs[1].errors = errors;
  return p;
}

run_result payload_run(std::uint64_t errors = 0) {
  auto run = run_of(3, [](std::string const&, int) { return repetition({{"product", 60}}); });
  run.payload = payload_of(errors);
  return run;
}

}  // namespace

TEST_CASE("payload: the least-squares line is exact on points that lie on one, and its residuals are 0") {
  auto f = fit_line({0, 1'024, 4'096, 10'240}, {40, 42, 48, 60});
  REQUIRE(f);
  CHECK(f->a == Approx(40).margin(1e-9));
  CHECK(f->b * 1024 == Approx(2));
  REQUIRE(f->residuals.size() == 4);
  for (auto r : f->residuals) CHECK(r == Approx(0).margin(1e-9));
  CHECK(f->rms == Approx(0).margin(1e-9));
  REQUIRE(f->r2);
  CHECK(*f->r2 == Approx(1));
}

TEST_CASE("payload: residuals are measured minus fitted, their RMS and R squared as defined") {
  // y = 1 + x fitted through (0, 1), (1, 3), (2, 3): b = 1, a = 4/3; residuals -1/3, 2/3, -1/3.
  auto f = fit_line({0, 1, 2}, {1, 3, 3});
  REQUIRE(f);
  CHECK(f->b == Approx(1));
  CHECK(f->a == Approx(4.0 / 3));
  REQUIRE(f->residuals.size() == 3);
  CHECK(f->residuals[0] == Approx(-1.0 / 3));
  CHECK(f->residuals[1] == Approx(2.0 / 3));
  CHECK(f->residuals[2] == Approx(-1.0 / 3));
  CHECK(f->rms == Approx(std::sqrt((1.0 / 9 + 4.0 / 9 + 1.0 / 9) / 3)));
  CHECK(*f->r2 == Approx(1 - (6.0 / 9) / (8.0 / 3)));
  CHECK_FALSE(fit_line({5}, {1}));
  CHECK_FALSE(fit_line({5, 5, 5}, {1, 2, 3}));
  auto flat = fit_line({1, 2, 3}, {7, 7, 7});
  REQUIRE(flat);
  CHECK(flat->b == 0);
  CHECK_FALSE(flat->r2);
}

TEST_CASE("payload: each step's added p50 is paired with the monolith's and the line is fitted per deployment and sweep") {
  auto a = payload_answer_of(payload_run());
  REQUIRE(a);
  REQUIRE(a->series.size() == 2);
  auto const& response = a->series[0];
  CHECK(response.deployment == "split");
  CHECK(response.sweep == "response");
  REQUIRE(response.points.size() == 3);
  CHECK(response.points[2].size == 100);
  CHECK(response.points[2].hop_bytes == 101'440);
  CHECK(response.points[2].added_p50.n == 3);
  CHECK(response.points[2].added_p50.median == Approx(added_at(101'440)).margin(1));
  REQUIRE(response.fit);
  CHECK(response.fit->a == Approx(40).margin(1));
  CHECK(response.fit->b * 1024 == Approx(2).margin(0.02));
  for (auto const& p : response.points) {
    CHECK(p.clean);
    REQUIRE(p.residual_us);
    CHECK(*p.residual_us == Approx(0).margin(1));
  }
  auto const& request = a->series[1];
  CHECK(request.sweep == "request");
  REQUIRE(request.fit);
  CHECK(request.fit->b * 1024 == Approx(2).margin(0.02));
}

TEST_CASE("payload: a step with an error is shown with its count and left out of the fit, never passed as good latency") {
  auto run = payload_run(2);
  auto a = payload_answer_of(run);
  REQUIRE(a);
  auto const& request = a->series[1];
  REQUIRE(request.points.size() == 2);
  CHECK_FALSE(request.points[1].clean);
  CHECK(request.points[1].errors == 2);
  CHECK_FALSE(request.points[1].residual_us);
  CHECK_FALSE(request.fit);  // one clean step is no line
  auto markdown = payload_markdown(run);
  CHECK(markdown.find("– (2 errors or unsent: not fitted)") != std::string::npos);
  CHECK(markdown.find("**split**, request size: no fit (fewer than two steps without errors)") != std::string::npos);
  auto answered = payload_json(*a);
  auto const& point = answered.at("series").at(1).at("points").at(1);
  CHECK(point.at("added_p50_us").is_null());
  CHECK(point.at("errors").to_number<int>() == 2);
  CHECK(answered.at("series").at(1).at("fit").is_null());
}

TEST_CASE("payload: the Payload size section, a fit per deployment and sweep and a row per step") {
  auto run = payload_run();
  auto md = render_markdown(run, answer_of(run));
  INFO(md);
  CHECK(md.find("\n## Payload size\n") != std::string::npos);
  CHECK(md.find("- **split**, response size: added p50 ≈ ") != std::string::npos);
  CHECK(md.find("µs/KiB (3 points; R² ") != std::string::npos);
  CHECK(md.find("| limit | bytes across the hops | monolith p50 | split p50 | split added p50 [95% CI] | residual |") != std::string::npos);
  CHECK(md.find("| lines | bytes across the hops |") != std::string::npos);
  CHECK(md.find("| 100 | 101,440 B (catalog 61+101,379) |") != std::string::npos);
  CHECK(payload_markdown(run_of(3, [](std::string const&, int) { return repetition({{"product", 60}}); })).empty());
}

TEST_CASE("payload: report.json keeps the steps and answers them, and a report from before reads as having none") {
  auto run = payload_run();
  auto written = to_json(run, answer_of(run));
  auto text = json::serialize(written);
  auto back = run_result_from_json(json::parse(text).as_object());
  REQUIRE(back.payload);
  REQUIRE(back.payload->steps.size() == 5);
  CHECK(back.payload->steps[2].hop_bytes == 101'440);
  CHECK(back.payload->steps[2].hops[0].name == "catalog /internal/test");
  CHECK(back.payload->steps[4].deployments[1].deployment == "split");
  CHECK(back.payload->steps[4].deployments[1].runs.size() == 3);
  CHECK(json::serialize(to_json(back, answer_of(back))) == text);
  auto const& series = written.at("answer").at("payload").at("series").as_array();
  REQUIRE(series.size() == 2);
  CHECK(series[0].at("fit").at("slope_us_per_kib").to_number<double>() == Approx(2).margin(0.02));
  CHECK(series[0].at("points").as_array().size() == 3);

  auto bad = written;
  bad.at("payload").at("steps").as_array()[0].as_object()["hop_bytes"] = 7;
  CHECK_THROWS_WITH(run_result_from_json(bad), "'payload.steps[0].hop_bytes' is not the sum of its hops' bytes");
  bad = written;
  bad.at("payload").at("steps").as_array()[0].as_object()["sweep"] = "sideways";
  CHECK_THROWS_WITH(run_result_from_json(bad), "'payload.steps[0].sweep' is not \"response\" or \"request\"");
  bad = written;
  bad.at("payload").at("steps").as_array()[1].as_object().erase("hops");
  CHECK_THROWS_WITH(run_result_from_json(bad), "'payload.steps[1].hops' is missing");

  written.erase("payload");
  written.at("answer").as_object().erase("payload");
  CHECK_FALSE(run_result_from_json(written).payload);
}

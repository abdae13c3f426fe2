#include "bench/report/answer.hpp"
#include "bench/report/compare.hpp"
#include "bench/report/markdown.hpp"
#include "bench/report/report_json.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;
namespace json = boost::json;

namespace {

json::object written(run_result const& run) { return to_json(run, answer_of(run)); }

std::string refused(json::object const& o) {
  try {
    run_result_from_json(o);
  } catch (report_error const& e) {
    return e.what();
  }
  return "accepted";
}

/// A count as JSON holds it: a whole number, signed or not.
bool is_count(json::value const& v) { return v.is_uint64() || (v.is_int64() && v.get_int64() >= 0); }
std::int64_t count_of(json::value const& v) { return v.to_number<std::int64_t>(); }

json::object& fault_json(json::object& report, char const* deployment, std::size_t i) {
  return report["deployments"].as_object()[deployment].as_object()["faults"].as_array()[i].as_object();
}

}  // namespace

TEST_CASE("faults in report.json: one object per fault and deployment, every field of its own type") {
  auto report = written(faulted_run());
  auto const& specs = report.at("scenario").at("faults").as_array();
  REQUIRE(specs.size() == 2);
  CHECK(specs[0].as_string() == "pricing:kill@3s/1s");
  CHECK(specs[1].as_string() == "catalog:hang@3s/1s");

  auto const& faults = report.at("deployments").at("split").at("faults").as_array();
  REQUIRE(faults.size() == 2);
  auto const& kill = faults[0].as_object();
  CHECK(kill.at("spec").as_string() == "pricing:kill@3s/1s");
  CHECK(kill.at("service").as_string() == "pricing");
  CHECK(kill.at("kind").as_string() == "kill");
  CHECK(kill.at("at_s").to_number<double>() == 3);
  CHECK(kill.at("for_s").to_number<double>() == 1);
  CHECK(kill.at("window_end_s").to_number<double>() == Approx(4.02));
  CHECK(kill.at("process").as_string() == "pricing");
  CHECK(kill.at("restart").as_string() == "always");
  CHECK(kill.at("rate_rps").to_number<double>() == 400);
  CHECK(kill.at("seconds").to_number<double>() == 8);
  CHECK(kill.at("slice_s").to_number<double>() == 0.25);
  for (auto key : {"warnings", "blast_radius", "call_graph", "restarts"}) CHECK(kill.at(key).is_array());
  CHECK(kill.at("blast_radius").as_array() == json::array{"quote", "order"});
  CHECK(kill.at("call_graph").as_array() == json::array{"quote", "order"});

  auto const& restart = kill.at("restarts").as_array().at(0).as_object();
  CHECK(restart.at("process").as_string() == "pricing");
  CHECK(restart.at("how").as_string() == "killed by signal 9");
  for (auto key : {"exit_s", "spawn_s", "listening_s", "ready_s", "first_good_s"}) CHECK(restart.at(key).is_number());
  CHECK(restart.at("first_good_s").to_number<double>() == 4.25);

  auto const& routes = kill.at("routes").as_object();
  REQUIRE(routes.size() == 4);
  CHECK(routes.begin()->key() == "product");  // in the run's order
  auto const& quote = routes.at("quote").as_object();
  CHECK(quote.at("uses_target").as_bool());
  CHECK(quote.at("broken").as_bool());
  CHECK(quote.at("availability").to_number<double>() == 0);
  CHECK(quote.at("p99_during_us").to_number<double>() == 400);
  CHECK(quote.at("pre_fault_p99_us").to_number<double>() == 300);
  CHECK(quote.at("time_to_detect_s").to_number<double>() == 0);
  CHECK(quote.at("outage_s").to_number<double>() == 1.25);
  CHECK(quote.at("time_to_recover_s").to_number<double>() == 0.25);
  CHECK(quote.at("time_to_available_s").to_number<double>() == 0.25);
  CHECK(count_of(quote.at("status_5xx")) == 125);  // the five slices from 3 s to 4.25 s, 25 each
  CHECK(count_of(quote.at("timeouts")) == 0);
  CHECK(count_of(quote.at("connection_errors")) == 0);
  CHECK_FALSE(routes.at("product").at("uses_target").as_bool());
  CHECK(routes.at("product").at("time_to_detect_s").is_null());

  auto const& timeline = quote.at("timeline").as_array();
  REQUIRE(timeline.size() == 32);
  auto const& slice = timeline[12].as_object();
  CHECK(slice.at("start_s").to_number<double>() == 3);
  for (auto key : {"due", "good", "client_errors", "server_errors", "timeouts", "connection_errors", "unanswered"}) CHECK(is_count(slice.at(key)));
  CHECK(count_of(slice.at("due")) == 25);
  CHECK(count_of(slice.at("good")) == 0);
  CHECK(count_of(slice.at("server_errors")) == 25);
  CHECK(slice.at("p50_us").is_number());
  CHECK(slice.at("p99_us").to_number<double>() == 400);

  // The hang: no restart; a route that never recovered has null for its time to recover.
  auto const& hang = faults[1].as_object();
  CHECK(hang.at("kind").as_string() == "hang");
  CHECK(hang.at("restarts").as_array().empty());
  CHECK(hang.at("routes").at("order").at("time_to_recover_s").is_null());
  CHECK(count_of(hang.at("routes").at("order").at("timeouts")) == 100);
}

TEST_CASE("faults in report.json: absent times are null, a policy of never is written as a word") {
  auto run = faulted_run(false);
  run.deployments[1].faults[0].for_s.reset();
  auto report = written(run);
  auto& kill = fault_json(report, "split", 0);
  CHECK(kill.at("for_s").is_null());
  CHECK(kill.at("restart").as_string() == "never");
  auto const& restart = kill.at("restarts").as_array().at(0).as_object();
  CHECK(restart.at("exit_s").is_number());
  for (auto key : {"spawn_s", "listening_s", "ready_s", "first_good_s"}) CHECK(restart.at(key).is_null());
}

TEST_CASE("faults in report.json: read back, every figure is the same") {
  for (bool restart : {true, false}) {
    auto run = faulted_run(restart);
    auto text = json::serialize(written(run));
    auto back = run_result_from_json(json::parse(text).as_object());
    CHECK(json::serialize(written(back)) == text);
    CHECK(back.scenario.faults == run.scenario.faults);
    auto const& f = back.find("split")->faults.at(0);
    auto const& g = run.find("split")->faults.at(0);
    CHECK(f.restart == restart);
    CHECK(f.routes.size() == 4);
    CHECK(f.routes[2].name == "quote");
    CHECK(f.routes[2].timeline.size() == g.routes[2].timeline.size());
    CHECK(f.routes[2].time_to_recover_s == g.routes[2].time_to_recover_s);
    CHECK(f.routes[2].time_to_available_s == g.routes[2].time_to_available_s);
    CHECK(f.restarts.at(0).spawn_s == g.restarts.at(0).spawn_s);
    CHECK(render_markdown(back, answer_of(back)) == render_markdown(run, answer_of(run)));
  }
}

TEST_CASE("faults in report.json: a report from before faults were written still loads, and compares as before") {
  auto with = faulted_run();
  auto report = written(with);
  auto old = report;
  old["scenario"].as_object().erase("faults");
  for (auto& [name, d] : old["deployments"].as_object()) d.as_object().erase("faults");
  CHECK(old.at("schema").as_string() == "splitbench.report/3");  // fields were added: the schema is the same
  auto back = run_result_from_json(old);
  CHECK(back.scenario.faults.empty());
  for (auto const& d : back.deployments) CHECK(d.faults.empty());
  auto md = render_markdown(back, answer_of(back));
  CHECK(md.find("## Faults") == std::string::npos);

  // compare reads none of it: with faults or without, on either side, the same verdicts.
  auto plain = compare_reports(back, back, 0.10);
  for (auto const& [base, now] : {std::pair{&with, &back}, std::pair{&back, &with}, std::pair{&with, &with}}) {
    auto c = compare_reports(*base, *now, 0.10);
    CHECK_FALSE(c.regressed());
    CHECK(to_text(c) == to_text(plain));
  }
}

TEST_CASE("faults in report.json: unusable fault figures are refused in one line") {
  auto good = written(faulted_run());
  auto policy = good;
  fault_json(policy, "split", 0)["restart"] = "sometimes";
  CHECK(refused(policy) == "'deployments.split.faults[0].restart' is not \"always\" or \"never\"");
  auto availability = good;
  fault_json(availability, "monolith", 1)["routes"].as_object()["quote"].as_object()["availability"] = 1.5;
  CHECK(refused(availability) == "'deployments.monolith.faults[1].routes.quote.availability' is not between 0 and 1");
  auto count = good;
  fault_json(count, "split", 1)["routes"].as_object()["order"].as_object()["timeline"].as_array()[3].as_object()["due"] = "many";
  CHECK(refused(count) == "'deployments.split.faults[1].routes.order.timeline[3].due' is not a whole number");
  auto missing = good;
  fault_json(missing, "split", 0).erase("window_end_s");
  CHECK(refused(missing) == "'deployments.split.faults[0].window_end_s' is missing");
}

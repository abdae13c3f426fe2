#include "bench/report/gbench.hpp"
#include "bench/report/report_json.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;
namespace json = boost::json;

namespace {

/// Three repetitions per deployment: product at 100, 200, 600 µs in the monolith (doubled in the
/// split), search at 1000 µs; CPU per request 10, 20, 30 µs.
run_result three_repetitions() {
  return run_of(3, [](std::string const& d, int rep) {
    double scale = d == "split" ? 2 : 1;
    double product[] = {100, 200, 600};
    return repetition({{"product", product[rep] * scale}, {"search", 1000}}, 10.0 * (rep + 1), 500, histograms::omitted);
  });
}

/// The benchmark entries named `name`, in order.
std::vector<json::object> entries(json::object const& doc, std::string const& name) {
  std::vector<json::object> out;
  for (auto const& b : doc.at("benchmarks").as_array())
    if (b.as_object().at("name").as_string() == name) out.push_back(b.as_object());
  return out;
}

}  // namespace

TEST_CASE("gbench: one family per deployment, route and figure, in the report's order") {
  auto families = gbench_families(three_repetitions());
  // Per deployment: all/{p50,p90,p99,p999,mean,cpu_per_request} and two routes of five figures.
  REQUIRE(families.size() == 2 * (6 + 2 * 5));
  CHECK(families[0].name == "monolith/all/p50");
  CHECK(families[5].name == "monolith/all/cpu_per_request");
  CHECK(families[6].name == "monolith/product/p50");
  CHECK(families[16].name == "split/all/p50");
  auto const& split_product = families[16 + 6];
  CHECK(split_product.name == "split/product/p50");
  CHECK(split_product.values_us == std::vector<double>{200, 400, 1200});
  CHECK(split_product.iterations == std::vector<std::uint64_t>{100, 100, 100});
  CHECK(families[5].values_us == std::vector<double>{10, 20, 30});
}

TEST_CASE("gbench: each repetition an iteration run, then mean, median, stddev and cv as Google Benchmark writes them") {
  auto doc = to_gbench(three_repetitions());
  auto runs = entries(doc, "split/product/p50");
  REQUIRE(runs.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    auto const& r = runs[i];
    CHECK(r.at("run_type").as_string() == "iteration");
    CHECK(r.at("run_name").as_string() == "split/product/p50");
    CHECK(r.at("repetitions").to_number<int>() == 3);
    CHECK(r.at("repetition_index").to_number<std::size_t>() == i);
    CHECK(r.at("family_index").to_number<int>() == 22);
    CHECK(r.at("per_family_instance_index").to_number<int>() == 0);
    CHECK(r.at("threads").to_number<int>() == 1);
    CHECK(r.at("iterations").to_number<int>() == 100);
    CHECK(r.at("time_unit").as_string() == "us");
    CHECK(r.at("real_time").to_number<double>() == r.at("cpu_time").to_number<double>());
  }
  CHECK(runs[2].at("real_time").to_number<double>() == 1200);

  auto value = [&](char const* aggregate) {
    auto a = entries(doc, std::string("split/product/p50_") + aggregate);
    REQUIRE(a.size() == 1);
    CHECK(a[0].at("run_type").as_string() == "aggregate");
    CHECK(a[0].at("aggregate_name").as_string() == aggregate);
    CHECK(a[0].at("run_name").as_string() == "split/product/p50");
    CHECK(a[0].at("iterations").to_number<int>() == 3);
    CHECK_FALSE(a[0].contains("repetition_index"));
    return a[0].at("real_time").to_number<double>();
  };
  CHECK(value("mean") == Approx(600));
  CHECK(value("median") == Approx(400));
  CHECK(value("stddev") == Approx(529.150262).epsilon(1e-6));  // sqrt(((200-600)² + (400-600)² + (1200-600)²) / 2)
  CHECK(value("cv") == Approx(529.150262 / 600).epsilon(1e-6));
  CHECK(entries(doc, "split/product/p50_cv")[0].at("aggregate_unit").as_string() == "percentage");
  CHECK(entries(doc, "split/product/p50_mean")[0].at("aggregate_unit").as_string() == "time");
}

TEST_CASE("gbench: the context says what the report recorded of its machine, build and run") {
  auto doc = to_gbench(three_repetitions());
  auto const& c = doc.at("context").as_object();
  CHECK(c.at("date").as_string() == "2026-11-25T00:00:00Z");
  CHECK(c.at("num_cpus").to_number<int>() == 2);
  CHECK(c.at("library_build_type").as_string() == "release");
  CHECK(c.at("executable").as_string() == "splitbench run --scenario built-in");
  CHECK(c.at("caches").is_array());
  for (auto key : {"host_name", "mhz_per_cpu", "splitbench_report", "splitbench_commit"}) CHECK(c.contains(key));
  CHECK(c.at("splitbench_commit").as_string() == "0123456789abcdef");
}

TEST_CASE("gbench: one repetition gets no aggregates, as Google Benchmark writes none") {
  auto run = run_of(1, [](std::string const&, int) { return repetition({{"product", 100}}, 20, 500, histograms::omitted); });
  auto doc = to_gbench(run);
  CHECK(entries(doc, "monolith/product/p99").size() == 1);
  CHECK(entries(doc, "monolith/product/p99_mean").empty());
}

TEST_CASE("gbench: a report without a counted repetition is refused, saying so") {
  auto run = run_of(0, [](std::string const&, int) { return run_measurement{}; });
  CHECK_THROWS_AS(to_gbench(run), report_error);
  CHECK_THROWS_WITH(to_gbench(run), "report 20261125T000000Z-default holds no counted repetition to export");
}

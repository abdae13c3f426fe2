#include "bench/report/gbench.hpp"

#include "bench/report/report_json.hpp"
#include "bench/report/statistics.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <regex>

namespace splitbench::bench {
namespace json = boost::json;

namespace {

/// The latency figures each route gets, and how to read one from a summary.
struct figure {
  char const* name;
  double latency_summary::*field;
};
constexpr figure latency_figures[] = {
    {"p50", &latency_summary::p50}, {"p90", &latency_summary::p90}, {"p99", &latency_summary::p99},
    {"p999", &latency_summary::p999}, {"mean", &latency_summary::mean}};

/// Adds `value` to the family `name`, made where it is new; families keep the order they came in.
void add(std::vector<gbench_family>& out, std::string name, double value, std::uint64_t iterations) {
  auto f = std::find_if(out.begin(), out.end(), [&](gbench_family const& x) { return x.name == name; });
  if (f == out.end()) f = out.insert(out.end(), gbench_family{std::move(name), {}, {}});
  f->values_us.push_back(value);
  f->iterations.push_back(iterations);
}

/// Google Benchmark's aggregates over repetitions (statistics.cc): the mean, the median (the
/// middle two averaged for an even count), the sample standard deviation (n - 1) and cv.
struct aggregate {
  char const* name;
  double value;
  bool percentage;
};
std::vector<aggregate> aggregates_of(std::vector<double> const& v) {
  auto n = static_cast<double>(v.size());
  double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double squares = 0;
  for (double x : v) squares += (x - mean) * (x - mean);
  double stddev = std::sqrt(squares / (n - 1));
  return {{"mean", mean, false}, {"median", median(v), false}, {"stddev", stddev, false}, {"cv", mean == 0 ? 0 : stddev / mean, true}};
}

/// "AMD EPYC 7B13 @ 2.45GHz" -> 2450; 0 when the model does not say.
double mhz_of(std::string const& cpu_model) {
  std::smatch m;
  static std::regex const ghz(R"(@\s*([0-9.]+)\s*GHz)");
  return std::regex_search(cpu_model, m, ghz) ? std::round(std::stod(m[1]) * 1000) : 0;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

json::object context_of(run_result const& run) {
  // The host name and the caches are not in a report; Google Benchmark's readers take empty ones.
  return {{"date", run.created},
          {"host_name", ""},
          {"executable", "splitbench run --scenario " + (run.scenario.source.empty() ? run.scenario.name : run.scenario.source)},
          {"num_cpus", run.machine.cores},
          {"mhz_per_cpu", mhz_of(run.machine.cpu_model)},
          {"cpu_scaling_enabled", false},
          {"caches", json::array{}},
          {"load_avg", json::array{}},
          {"library_build_type", lowercase(run.build.build_type)},
          {"splitbench_report", run.id},
          {"splitbench_commit", run.build.commit + (run.build.dirty ? "-dirty" : "")},
          {"splitbench_compiler", run.build.compiler},
          {"splitbench_cpu_model", run.machine.cpu_model}};
}

}  // namespace

std::vector<gbench_family> gbench_families(run_result const& run) {
  std::vector<gbench_family> out;
  for (auto const& d : run.deployments) {
    for (auto const& rep : d.compare) {
      for (auto const& f : latency_figures) add(out, d.name + "/all/" + f.name, rep.latency.*f.field, rep.latency.count);
      // No CPU read (a target without /metrics): no figure, rather than a 0 compare.py would take for one.
      if (d.resources_measured && !rep.cpu.empty()) add(out, d.name + "/all/cpu_per_request", rep.cpu_us_per_request, rep.responses);
      for (auto const& r : rep.routes)
        for (auto const& f : latency_figures) add(out, d.name + "/" + r.name + "/" + f.name, r.latency.*f.field, r.latency.count);
    }
  }
  return out;
}

json::object to_gbench(run_result const& run) {
  auto families = gbench_families(run);
  if (families.empty()) throw report_error("report " + run.id + " holds no counted repetition to export");
  json::array benchmarks;
  for (std::size_t family = 0; family < families.size(); ++family) {
    auto const& f = families[family];
    auto repetitions = static_cast<std::int64_t>(f.values_us.size());
    auto run_of = [&](std::string name, char const* type) {
      return json::object{{"name", std::move(name)}, {"family_index", family}, {"per_family_instance_index", 0},
                          {"run_name", f.name},      {"run_type", type},        {"repetitions", repetitions},
                          {"threads", 1}};
    };
    for (std::size_t i = 0; i < f.values_us.size(); ++i) {
      auto b = run_of(f.name, "iteration");
      b["repetition_index"] = i;
      b["iterations"] = f.iterations[i];
      b["real_time"] = f.values_us[i];
      b["cpu_time"] = f.values_us[i];
      b["time_unit"] = "us";
      benchmarks.push_back(std::move(b));
    }
    if (f.values_us.size() < 2) continue;  // as Google Benchmark: no aggregates of one repetition
    for (auto const& a : aggregates_of(f.values_us)) {
      auto b = run_of(f.name + "_" + a.name, "aggregate");
      b["aggregate_name"] = a.name;
      b["aggregate_unit"] = a.percentage ? "percentage" : "time";
      b["iterations"] = repetitions;
      b["real_time"] = a.value;
      b["cpu_time"] = a.value;
      b["time_unit"] = "us";
      benchmarks.push_back(std::move(b));
    }
  }
  return {{"context", context_of(run)}, {"benchmarks", std::move(benchmarks)}};
}

}  // namespace splitbench::bench

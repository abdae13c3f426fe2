// `splitbench run` end to end: a short real run of both deployments, and one cut short.

#include "bench/driver/files.hpp"
#include "bench/report/report_json.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <thread>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> short_run(std::string const& results) {
  return {bin("splitbench"), "run", "--results", results, "--set", "repetitions=2", "--set", "compare.duration=1s", "--set",
          "compare.rate=300", "--set", "driver.warmup=300ms", "--set", "sweep.duration=1s", "--set", "sweep.max=1500",
          // A core each, from 200 req/s: on half a core the split served under 300 req/s within
          // the SLO in the TSan build on two cores.
          "--set", "sweep.cpu_budget=1", "--set", "sweep.start=200"};
}

/// The report as this version reads it: every field checked, every histogram decoded.
bench::run_result read_report(std::string const& results) {
  return bench::run_result_from_json(json::parse(bench::read_file(results + "/latest/report.json")).as_object());
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  if (DIR* d = ::opendir("/proc")) {
    while (auto* e = ::readdir(d)) {
      auto pid = std::atoi(e->d_name);
      if (pid <= 0) continue;
      std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
      std::string s((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
      auto p = s.rfind(')');
      if (p == std::string::npos) continue;
      std::istringstream fields(s.substr(p + 2));
      char state;
      pid_t ppid;
      if (fields >> state >> ppid && ppid == parent) out.push_back(pid);
    }
    ::closedir(d);
  }
  return out;
}

}  // namespace

TEST_CASE("a short run writes a valid, consistent report and points latest at it") {
  auto results = bench::make_temp_dir("splitbench-run-test");
  auto r = run(short_run(results));
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("The split adds ") != std::string::npos);
  auto report = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
  REQUIRE_NOTHROW(read_report(results));
  CHECK_FALSE(report.at("partial").as_bool());
  CHECK(bench::read_file(results + "/latest/report.md").rfind("# splitbench: default", 0) == 0);

  auto const& deployments = report.at("deployments").as_object();
  CHECK(deployments.at("split").at("processes").as_array().size() > deployments.at("monolith").at("processes").as_array().size());
  for (auto const& [name, d] : deployments) {
    INFO(std::string(name));
    auto const& compare = d.at("compare").as_array();
    REQUIRE(compare.size() == 2);
    CHECK(d.at("warmup").as_array().size() == 1);  // one discarded repetition first
    for (auto const& v : compare) {
      auto const& run = v.as_object();
      auto seconds = run.at("seconds").to_number<double>();
      auto rps = run.at("throughput_rps").to_number<double>();
      auto responses = run.at("responses").to_number<double>();
      CHECK(responses == Approx(rps * seconds).epsilon(0.02));
      CHECK(run.at("requests").to_number<double>() == Approx(300 * seconds).epsilon(0.03));  // open loop at the rate asked for
      CHECK(run.at("latency_us").at("count").to_number<std::uint64_t>() == run.at("requests").to_number<std::uint64_t>());
      CHECK(run.at("cpu_us_per_request").to_number<double>() > 0);
      CHECK(run.at("errors").to_number<double>() == 0);
      std::uint64_t by_route = 0;
      for (auto const& [route, rr] : run.at("routes").as_object()) by_route += rr.at("responses").to_number<std::uint64_t>();
      CHECK(by_route == run.at("responses").to_number<std::uint64_t>());
    }
    CHECK_FALSE(d.at("sweep").as_array().empty());
    CHECK(d.at("throughput_at_slo_bounds").is_object());
    CHECK(d.at("peak_rss_bytes").to_number<double>() > 1e6);
  }
  auto const& answer = report.at("answer").as_object();
  CHECK(answer.at("routes").as_object().size() == 5);  // four routes and all
  CHECK(answer.at("overall").at("cpu_ratio").to_number<double>() > 0);
  CHECK(answer.at("overall").at("added_p50_us_ci95").as_array().size() == 2);
}

TEST_CASE("Ctrl-C mid-run: a whole report marked partial, and no process left") {
  auto results = bench::make_temp_dir("splitbench-run-cut");
  background run(short_run(results));
  // Wait until the compare phase is under way, so that both deployments are up.
  REQUIRE(run.read_until("[compare 1/2]"));
  std::this_thread::sleep_for(300ms);
  auto children = children_of(run.pid());
  CHECK(children.size() == 6);  // the monolith and the five processes of the split
  ::kill(run.pid(), SIGINT);
  CHECK(run.wait() == 130);
  for (auto c : children) CHECK(gone(c));
  CHECK(read_report(results).partial);
}

TEST_CASE("a deployment process that crashes mid-run is reported, and the rest is measured and stopped") {
  auto results = bench::make_temp_dir("splitbench-run-crash");
  auto argv = short_run(results);
  argv.insert(argv.end(), {"--set", "repetitions=3"});
  background run(argv);
  REQUIRE(run.read_until("[compare 2/3]"));
  // The split's processes are the last five children started; pricing is the third of them.
  auto children = children_of(run.pid());
  REQUIRE(children.size() == 6);
  std::sort(children.begin(), children.end());
  ::kill(children[3], SIGKILL);  // monolith, catalog, inventory, pricing, orders, gateway
  auto status = run.wait();
  INFO(run.printed());
  CHECK(status == 1);  // a deployment died: the run did not measure what it was asked to
  for (auto c : children) CHECK(gone(c));
  auto report = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
  REQUIRE_NOTHROW(read_report(results));
  auto const& split = report.at("deployments").at("split").as_object();
  REQUIRE(split.at("failure").is_string());
  CHECK(std::string(split.at("failure").as_string()).find("pricing (pid " + std::to_string(children[3]) + ") killed by signal 9") == 0);
  CHECK(split.at("compare").as_array().size() < 3);  // what came after the crash is missing, not invented
  auto const& monolith = report.at("deployments").at("monolith").as_object();
  CHECK(monolith.at("compare").as_array().size() == 3);  // the other deployment was measured to the end
  CHECK(monolith.at("failure").is_null());
  bool warned = false;
  for (auto const& w : report.at("warnings").as_array()) warned = warned || std::string(w.as_string()).find("split failed mid-run") == 0;
  CHECK(warned);
}

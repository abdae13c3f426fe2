// CPU limits on a deployment's processes, through the real binaries and the kernel's cgroups:
// `--cpu-limit` refused when it cannot mean anything, `up --json` naming each process and its
// group, the group holding a restarted process, and no group outliving what made it. These
// tests need a writable cgroup hierarchy with the cpu controller (root).

#include "bench/driver/files.hpp"
#include "bench/runner/deployment.hpp"
#include "os/cgroup.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

bool exists(std::string const& path) { return std::filesystem::exists(path); }

std::string first_line(std::string const& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

/// The quota of the group in `dir`, in cores, read from whichever interface it has.
double quota_cores(std::string const& dir) {
  if (exists(dir + "/cpu.max")) {  // cgroup v2: "QUOTA PERIOD"
    auto line = first_line(dir + "/cpu.max");
    return std::stod(line) / std::stod(line.substr(line.find(' ') + 1));
  }
  return std::stod(first_line(dir + "/cpu.cfs_quota_us")) / std::stod(first_line(dir + "/cpu.cfs_period_us"));
}

/// Whether `pid` is listed in the group's cgroup.procs.
bool holds(std::string const& dir, pid_t pid) {
  std::ifstream procs(dir + "/cgroup.procs");
  for (std::string line; std::getline(procs, line);)
    if (line == std::to_string(pid)) return true;
  return false;
}

bool eventually(auto condition, std::chrono::milliseconds within = 3s) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

/// `splitbench up` with limits, its process table read once it says it is up.
struct limited_up {
  std::string table_path;
  background up;
  json::array processes;

  limited_up(std::string const& dir, std::vector<std::string> limits)
      : table_path(dir + "/up.json"), up([&] {
          std::vector<std::string> argv{bin("splitbench"), "up", "--deployment", "split", "--listen", "127.0.0.1:0", "--json", dir + "/up.json"};
          for (auto& l : limits) argv.insert(argv.end(), {"--cpu-limit", l});
          return argv;
        }()) {
    INFO(up.printed());
    REQUIRE(up.read_until("Ctrl-C stops it."));
    processes = json::parse(bench::read_file(table_path)).at("processes").as_array();
  }

  json::object const& process(std::string_view name) const {
    for (auto const& p : processes)
      if (p.at("name").as_string() == name) return p.as_object();
    FAIL("no process " << name);
    throw std::logic_error("unreachable");
  }
  pid_t pid_of(std::string_view name) const { return static_cast<pid_t>(process(name).at("pid").as_int64()); }
};

}  // namespace

TEST_CASE("a CPU limit that cannot mean anything stops run and up before they start anything, with one line") {
  for (std::vector<std::string> command : {std::vector<std::string>{"run"}, {"up", "--deployment", "split"}}) {
    auto with = [&](std::string const& limit) {
      auto argv = command;
      argv.insert(argv.end(), {"--cpu-limit", limit});
      return argv;
    };
    check_refused(with("pricing"), "--cpu-limit: 'pricing' is not SERVICE=CORES (e.g. pricing=0.5)");
    check_refused(with("pricing=0"), "--cpu-limit: pricing=0: CORES must be a number above 0, not '0'");
    check_refused(with("billing=1"), "--cpu-limit: billing=1: no process is named 'billing' (gateway, catalog, inventory, pricing, orders, monolith, or a group such as pricing+orders)");
    check_refused(with("pricing=0.001"),
            "--cpu-limit: pricing=0.001: CORES must be at least 0.01 (the kernel's least quota: 1 ms of each 100 ms), not '0.001'");
  }
  check_refused({"up", "--deployment", "monolith", "--cpu-limit", "pricing=1"}, "--cpu-limit: pricing=1: the monolith deployment has no process named pricing");
  check_refused({"run", "--deployment", "monolith", "--cpu-limit", "monolith=1", "--cpu-limit", "monolith=2"},
          "--cpu-limit: monolith is limited twice (monolith=1 and monolith=2)");
  check_refused({"run", "--set", "deployment.cpu_limits=[\"gateway=-1\"]"},
          "scenario: deployment.cpu_limits: gateway=-1: CORES must be a number above 0, not '-1'");
}

TEST_CASE("up --cpu-limit pricing=0.5 --json: the table names all five, pricing's group holds it at half a core, and stopping up removes the group") {
  auto dir = bench::make_temp_dir("splitbench-cpu-limit-test");
  limited_up up(dir, {"pricing=0.5"});
  REQUIRE(up.processes.size() == 5);
  std::vector<pid_t> pids;
  for (auto const& v : up.processes) {
    auto const& p = v.as_object();
    INFO(json::serialize(p));
    pids.push_back(static_cast<pid_t>(p.at("pid").as_int64()));
    CHECK(p.at("replica").as_int64() == 0);
    CHECK_FALSE(gone(pids.back()));
    CHECK(std::string(p.at("address").as_string()).rfind("127.0.0.1:", 0) == 0);
    if (p.at("name").as_string() != "pricing") CHECK(p.at("cpu_limit_cores").is_null());
  }
  auto const& pricing = up.process("pricing");
  CHECK(pricing.at("cpu_limit_cores").to_number<double>() == 0.5);
  std::string group(pricing.at("cgroup").as_string());
  INFO(group);
  CHECK(holds(group, up.pid_of("pricing")));
  CHECK(quota_cores(group) == Approx(0.5));
  auto own = bench::read_file("/proc/" + std::to_string(up.pid_of("pricing")) + "/cgroup");
  CHECK(own.find("/" + std::filesystem::path(group).filename().string() + "\n") != std::string::npos);

  ::kill(up.up.pid(), SIGTERM);
  CHECK(up.up.wait() == 0);
  CHECK_FALSE(exists(group));
  CHECK(eventually([&] { return std::all_of(pids.begin(), pids.end(), gone); }));
  std::filesystem::remove_all(dir);
}

TEST_CASE("the group of an up killed with SIGKILL is removed by the next one to make a group") {
  auto dir = bench::make_temp_dir("splitbench-cpu-limit-test");
  std::string left;
  pid_t pricing = -1;
  {
    limited_up first(dir, {"pricing=0.5"});
    left = first.process("pricing").at("cgroup").as_string();
    pricing = first.pid_of("pricing");
    ::kill(first.up.pid(), SIGKILL);
    CHECK(first.up.wait() == 128 + SIGKILL);
  }
  CHECK(eventually([&] { return gone(pricing); }));  // the kernel ends its children; their group stays
  REQUIRE(exists(left));

  limited_up second(dir, {"gateway=1"});
  CHECK_FALSE(exists(left));
  std::string group(second.process("gateway").at("cgroup").as_string());
  ::kill(second.up.pid(), SIGINT);
  CHECK(second.up.wait() == 0);
  CHECK_FALSE(exists(group));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a process restarted after a crash is back in its limited group") {
  bench::deployment_options o;
  o.kind = bench::topology::split();
  o.bin_dir = SPLITBENCH_BIN_DIR;
  o.log_dir = bench::make_temp_dir("splitbench-cpu-limit-test");
  o.cpu_limits = {{"pricing", 0.25}};
  std::string group;
  {
    bench::deployment d(o);
    auto index = *d.index_of("pricing");
    auto limit = d.cpu_limit_of(index);
    REQUIRE(limit);
    CHECK(limit->cores == 0.25);
    group = limit->cgroup;
    auto first = d.processes()[index].pid;
    CHECK(holds(group, first));
    for (std::size_t i = 0; i < d.processes().size(); ++i)
      if (i != index) CHECK_FALSE(d.cpu_limit_of(i));

    ::kill(first, SIGKILL);
    REQUIRE(eventually([&] { return d.failure().has_value(); }));
    d.restart(index);
    auto second = d.processes()[index].pid;
    CHECK(second != first);
    CHECK(holds(group, second));
    CHECK(quota_cores(group) == Approx(0.25));
  }
  CHECK_FALSE(exists(group));
  std::filesystem::remove_all(o.log_dir);
}

TEST_CASE("the sweep holds each whole deployment to its CPU budget: no step used more, the failing steps used it all, and no group is left") {
  auto results = bench::make_temp_dir("splitbench-sweep-budget-test");
  background run({bin("splitbench"), "run", "--results", results, "--set", "repetitions=2", "--set", "compare.duration=1s", "--set",
                  "compare.rate=200", "--set", "driver.warmup=300ms", "--set", "sweep.duration=1s", "--set", "sweep.start=1000", "--set",
                  "sweep.factor=2", "--set", "sweep.max=32000", "--set", "sweep.cpu_budget=0.25"});
  auto prefix = "splitbench-" + std::to_string(run.pid()) + "-";
  auto status = run.wait();
  INFO(run.printed());
  REQUIRE(status == 0);
  CHECK(run.printed().find("sweep: each deployment held to 0.25 cores: one cgroup") != std::string::npos);
  auto report = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
  for (auto const& [name, d] : report.at("deployments").as_object()) {
    INFO(std::string(name));
    CHECK(d.at("sweep_cpu_budget").to_number<double>() == 0.25);
    CHECK(report.at("answer").at("deployments").at(name).at("sweep_cpu_budget").to_number<double>() == 0.25);
    double most = 0;
    for (auto const& step : d.at("sweep").as_array())
      for (auto const& attempt : step.at("attempts").as_array()) {
        auto cores = attempt.at("cpu_seconds_total").to_number<double>() / attempt.at("seconds").to_number<double>();
        INFO("at " << step.at("rate").to_number<double>() << " req/s: " << cores << " cores");
        CHECK(cores <= 0.25 * 1.05);  // the quota is exact per 4 ms period: a 1 s window holds 250 of them
        most = std::max(most, cores);
      }
    CHECK(most >= 0.25 * 0.8);  // the budget, not the rate, ended the sweep
    CHECK(d.at("sweep").as_array().back().at("outcome").as_string() != "inconclusive");
  }
  // The compare phase before it ran on the machine: the groups were made for the sweep alone.
  auto markdown = bench::read_file(results + "/latest/report.md");
  CHECK(markdown.find("Every deployment was held to 0.25 cores while swept: all of a deployment's processes in one control group whose CFS "
                      "quota is 1.00 ms of every 4.00 ms period") != std::string::npos);
  CHECK(run.printed().find("with p99 within 10.00 ms on 0.25 cores each ") != std::string::npos);
  auto where = os::find_cpu_hierarchy();
  for (auto const& entry : std::filesystem::directory_iterator(where.root))
    CHECK(entry.path().filename().string().rfind(prefix, 0) != 0);
  std::filesystem::remove_all(results);
}

TEST_CASE("scaling: each replica count started again with every process held to its share, swept, and its groups removed") {
  auto results = bench::make_temp_dir("splitbench-scaling-test");
  background run({bin("splitbench"), "run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/scaling.toml", "--results", results, "--set",
                  "repetitions=2", "--set", "compare.duration=500ms", "--set", "driver.warmup=300ms", "--set", "sweep.duration=500ms", "--set",
                  "sweep.max=2000", "--set", "scaling.replicas=[1, 2]", "--set", "scaling.service=\"catalog\"", "--set", "scaling.rate=1000"});
  auto prefix = "splitbench-" + std::to_string(run.pid()) + "-";
  auto status = run.wait();
  INFO(run.printed());
  REQUIRE(status == 0);
  auto report = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
  for (auto const& [name, d] : report.at("deployments").as_object()) {
    INFO(std::string(name));
    auto const& scaling = d.at("scaling").as_object();
    bool monolith = name == "monolith";
    CHECK(scaling.at("process").as_string() == (monolith ? "monolith" : "catalog"));
    CHECK(scaling.at("cores_per_replica").to_number<double>() == 0.25);
    auto const& points = scaling.at("points").as_array();
    REQUIRE(points.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
      auto const& p = points[k].as_object();
      auto replicas = static_cast<int>(k + 1);
      CHECK(p.at("replicas").as_int64() == replicas);
      auto processes = monolith ? replicas : 4 + replicas;
      CHECK(p.at("cores").to_number<double>() == Approx(0.25 * processes));
      CHECK(p.at("replica_requests").as_array().size() == static_cast<std::size_t>(replicas));
      CHECK(p.at("peak_rss_bytes").to_number<double>() > processes * 1e6);
      REQUIRE_FALSE(p.at("sweep").as_array().empty());
      for (auto const& step : p.at("sweep").as_array())
        for (auto const& attempt : step.at("attempts").as_array())
          CHECK(attempt.at("cpu_seconds_total").to_number<double>() / attempt.at("seconds").to_number<double>() <= 0.25 * processes * 1.05);
    }
    // Both replicas of the scaled process took calls.
    for (auto const& n : points[1].at("replica_requests").as_array()) CHECK(n.to_number<double>() > 0);
  }
  auto markdown = bench::read_file(results + "/latest/report.md");
  CHECK(markdown.find("## Scaling") != std::string::npos);
  CHECK(markdown.find("| split | catalog | 2 | 1.5 |") != std::string::npos);
  auto where = os::find_cpu_hierarchy();
  for (auto const& entry : std::filesystem::directory_iterator(where.root))
    CHECK(entry.path().filename().string().rfind(prefix, 0) != 0);
  std::filesystem::remove_all(results);
}

// `splitbench run --target`: deployments splitbench did not start, measured at their URLs, their
// CPU and memory read from each process's /metrics where given and reported as not measured
// where not; and the command lines it refuses.

#include "bench/driver/files.hpp"
#include "bench/report/report_json.hpp"
#include "held_port.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>
#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

/// A deployment started by `splitbench up`, as another machine's would be: its front door and
/// each process's address, read from up's --json.
struct elsewhere {
  explicit elsewhere(std::string const& kind, std::string const& dir)
      : json_path(dir + "/" + kind + ".json"),
        log_dir(make_dir(dir + "/" + kind)),
        up({bin("splitbench"), "up", "--deployment", kind, "--listen", "127.0.0.1:0", "--json", json_path, "--log-dir", log_dir}) {
    REQUIRE(up.read_until("Ctrl-C stops it."));
    auto doc = json::parse(bench::read_file(json_path)).as_object();
    front_door = std::string(doc.at("address").as_string());
    for (auto const& p : doc.at("processes").as_array()) {
      processes.push_back(std::string(p.at("address").as_string()));
      pids.push_back(static_cast<pid_t>(p.at("pid").as_int64()));
    }
  }
  ~elsewhere() {
    ::kill(up.pid(), SIGTERM);
    up.wait();
  }
  std::string metrics_urls() const {
    std::string out;
    for (auto const& p : processes) out += (out.empty() ? "http://" : ",http://") + p;
    return out;
  }

  static std::string make_dir(std::string const& d) {
    std::filesystem::create_directories(d);
    return d;
  }

  std::string json_path;
  std::string log_dir;
  background up;
  std::string front_door;
  std::vector<std::string> processes;
  std::vector<pid_t> pids;
};

}  // namespace

TEST_CASE("run --target measures deployments it did not start, their CPU and memory from /metrics where given") {
  auto dir = std::filesystem::temp_directory_path() / ("splitbench-targets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    elsewhere mono("monolith", dir), split("split", dir);
    auto results = (dir / "results").string();
    auto r = run({bin("splitbench"), "run", "--results", results, "--target", "split=http://" + split.front_door, "--target",
                  "monolith=http://" + mono.front_door + "/", "--metrics", "split=" + split.metrics_urls(), "--set", "repetitions=2", "--set",
                  "compare.duration=1s", "--set", "compare.rate=300", "--set", "driver.warmup=300ms", "--set", "sweep.enabled=false"});
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("measured where they run: monolith at http://" + mono.front_door) != std::string::npos);

    auto doc = json::parse(bench::read_file(results + "/latest/report.json")).as_object();
    auto report = bench::run_result_from_json(doc);
    auto const* m = report.find("monolith");
    auto const* s = report.find("split");
    REQUIRE(m);
    REQUIRE(s);
    CHECK(m->target == "http://" + mono.front_door + "/");
    CHECK(s->target == "http://" + split.front_door);
    // The monolith's CPU and memory are unknown, not zero; the split's five processes were read.
    CHECK_FALSE(m->resources_measured);
    CHECK(m->processes.empty());
    for (auto const& run : m->compare) CHECK(run.cpu.empty());
    CHECK(s->resources_measured);
    REQUIRE(s->processes.size() == 5);
    for (auto const& p : s->processes) CHECK(p.peak_rss_bytes > 1'000'000);
    REQUIRE(s->compare.size() == 2);
    for (auto const& run : s->compare) {
      CHECK(run.cpu.size() == 5);
      CHECK(run.cpu_seconds_total > 0);
      CHECK(run.cpu_us_per_request > 0);
      CHECK(run.responses > 0);
    }
    auto const& answer = doc.at("answer").at("deployments");
    CHECK(answer.at("monolith").at("cpu_us_per_request").is_null());
    CHECK(answer.at("monolith").at("peak_rss_bytes").is_null());
    CHECK(answer.at("split").at("cpu_us_per_request").as_double() > 0);
    CHECK(answer.at("split").at("peak_rss_bytes").to_number<double>() > 5e6);
    // The floor is the round trip to where the deployments run.
    REQUIRE(report.floors.target_rtt);
    CHECK(report.floors.target == mono.front_door);  // towards the first target of the report, the monolith
    CHECK(report.floors.target_rtt->count == 2'000);
    auto md = bench::read_file(results + "/latest/report.md");
    CHECK(md.find("| CPU per request, median [95% CI] | not measured (no /metrics) |") != std::string::npos);
    CHECK(md.find("monolith was not started here: measured at http://" + mono.front_door) != std::string::npos);
    // splitbench left them as it found them: running.
    for (auto pid : mono.pids) CHECK_FALSE(gone(pid));
    for (auto pid : split.pids) CHECK_FALSE(gone(pid));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("run --target refuses what cannot be measured, in one line before anything runs") {
  closed_port nobody;
  auto url = "http://" + nobody.address();
  check_refused({"run", "--metrics", "split=" + url}, "--metrics names a target's processes: give --target NAME=URL too");
  check_refused({"run", "--target", "split"}, "'split' is not NAME=URL (e.g. split=http://10.0.0.7:8080)");
  check_refused({"run", "--target", "mono=" + url}, "mono=" + url + ": a target is named monolith or split, not 'mono'");
  check_refused({"run", "--target", "split=ftp://127.0.0.1:21"}, "split=ftp://127.0.0.1:21: 'ftp://127.0.0.1:21' is not an http:// URL (e.g. http://10.0.0.7:8080)");
  check_refused({"run", "--target", "split=" + url + "/api"},
                "split=" + url + "/api: '" + url + "/api' has a path; give the front door's http://HOST:PORT, the workload's paths are its own");
  check_refused({"run", "--target", "split=http://127.0.0.1"}, "split=http://127.0.0.1: 'http://127.0.0.1' needs a port (http://HOST:PORT)");
  check_refused({"run", "--target", "split=" + url, "--target", "split=" + url},
                "--target split=" + url + ": split is a target twice (" + url + " and " + url + ")");
  check_refused({"run", "--target", "split=" + url, "--metrics", "monolith=" + url}, "--metrics monolith=" + url + ": no --target is named monolith");
  check_refused({"run", "--target", "split=" + url, "--cpu-limit", "pricing=0.5"}, "--cpu-limit shapes deployments started here; with --target they run elsewhere");
  check_refused({"run", "--target", "split=" + url, "--deployment", "split"}, "--deployment shapes deployments started here; with --target they run elsewhere");
  check_refused({"run", "--target", "split=" + url, "--results", "/tmp/splitbench-never"}, "split at " + url + " did not answer GET /health within 5 s");
  CHECK_FALSE(std::filesystem::exists("/tmp/splitbench-never/latest"));
}

// The cluster path on one machine: each deployment on a host of its own (a network namespace
// with its own address and TCP stack), started there by `splitbench up`, and measured from a
// third host by `splitbench run --target ... --metrics ...`, as a driver pod measures the
// deployments of a cluster.

#include "bench/driver/files.hpp"
#include "bench/report/report_json.hpp"
#include "netns.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>
#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

/// `splitbench up` of `kind` inside host `where`, its front door on port 8080 of that host.
struct deployed {
  deployed(hosts const& h, std::string const& kind, std::string const& dir)
      : json_path(dir + "/" + kind + ".json"),
        up((std::filesystem::create_directories(dir + "/" + kind),
            h.inside(kind, {bin("splitbench"), "up", "--deployment", kind, "--listen", h.address(kind) + ":8080", "--json", json_path,
                            "--log-dir", dir + "/" + kind}))) {
    REQUIRE(up.read_until("Ctrl-C stops it."));
    auto doc = json::parse(bench::read_file(json_path)).as_object();
    for (auto const& p : doc.at("processes").as_array())
      metrics += (metrics.empty() ? "http://" : ",http://") + std::string(p.at("address").as_string());
  }
  ~deployed() {
    ::kill(up.pid(), SIGTERM);
    up.wait();
  }
  std::string json_path;
  background up;
  std::string metrics;  ///< every process's /metrics, as --metrics takes them
};

std::vector<std::string> namespaces_of_this_test() {
  std::vector<std::string> out;
  auto prefix = "sbt-" + std::to_string(::getpid()) + "-";
  for (auto const& e : std::filesystem::directory_iterator("/run/netns", std::filesystem::directory_options::skip_permission_denied))
    if (e.path().filename().string().starts_with(prefix)) out.push_back(e.path().filename());
  return out;
}

}  // namespace

TEST_CASE("deployments on hosts of their own are measured from a third by run --target, and every host is removed after") {
  REQUIRE(::geteuid() == 0);  // namespaces and veth pairs need root, as the README says
  auto dir = std::filesystem::temp_directory_path() / ("splitbench-multihost-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    hosts h({"monolith", "split", "driver"});
    deployed mono(h, "monolith", dir), split(h, "split", dir);
    // The hosts are apart: the driver's host has no listener of its own on 8080.
    CHECK(run(h.inside("driver", {"/usr/bin/curl", "-s", "-o", "/dev/null", "http://127.0.0.1:8080/health"})).status != 0);

    auto results = (dir / "results").string();
    auto r = run(h.inside("driver", {bin("splitbench"), "run", "--results", results, "--target", "monolith=http://198.18.0.2:8080", "--target",
                                     "split=http://198.18.0.3:8080", "--metrics", "monolith=" + mono.metrics, "--metrics", "split=" + split.metrics,
                                     "--set", "repetitions=2", "--set", "compare.duration=1s", "--set", "compare.rate=300", "--set",
                                     "driver.warmup=300ms", "--set", "sweep.enabled=false"}));
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto report = bench::run_result_from_json(json::parse(bench::read_file(results + "/latest/report.json")).as_object());
    for (auto const* name : {"monolith", "split"}) {
      auto const* d = report.find(name);
      REQUIRE(d);
      CHECK(d->resources_measured);
      CHECK(d->processes.size() == (std::string(name) == "split" ? 5u : 1u));
      REQUIRE(d->compare.size() == 2);
      for (auto const& m : d->compare) {
        CHECK(m.errors == 0);
        CHECK(m.requests == 300);  // a second at 300 req/s
        CHECK(m.responses == m.requests);
        CHECK(m.cpu_us_per_request > 0);
      }
    }
    REQUIRE(report.floors.target_rtt);
    CHECK(report.floors.target == "198.18.0.2:8080");
  }
  CHECK(namespaces_of_this_test().empty());
  std::filesystem::remove_all(dir);
}

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

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>

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

TEST_CASE("deployments on hosts of their own are measured from a third by run --target and by two shards merged, and every host is removed after") {
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

    // Two drivers on the driver's host, each one shard of one schedule at 400 req/s, merged.
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto start = std::to_string((now_ms + 3'000) / 1'000) + "." + std::to_string((now_ms + 3'000) % 1'000 / 100);  // time enough to start both
    std::vector<std::unique_ptr<background>> shards;
    for (int i = 0; i < 2; ++i)
      shards.push_back(std::make_unique<background>(h.inside(
          "driver", {bin("splitbench"), "load", "http://198.18.0.3:8080/api/products/1", "--rate", "400", "--warmup", "300ms", "--duration", "2s",
                     "--shard", std::to_string(i) + "/2", "--start-at", start, "--json", (dir / ("shard" + std::to_string(i) + ".json")).string()})));
    for (auto& shard : shards) {
      int status = shard->wait();
      INFO(shard->printed());
      CHECK(status == 0);
    }
    auto merged = run({bin("splitbench"), "merge", (dir / "shard0.json").string(), (dir / "shard1.json").string(), "--json", (dir / "merged.json").string()});
    INFO(merged.output);
    REQUIRE(merged.status == 0);
    auto doc = json::parse(bench::read_file((dir / "merged.json").string())).as_object();
    CHECK(doc.at("requests").to_number<double>() == 800);  // 2 s at 400 req/s, half from each
    CHECK(doc.at("errors").to_number<double>() == 0);
  }
  CHECK(namespaces_of_this_test().empty());
  std::filesystem::remove_all(dir);
}

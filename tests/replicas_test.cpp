// Replicas of a service and the callers that balance over them: a replica killed under load costs
// (almost) no answers, since its callers eject it and try the call on another; and p2c sends a
// slowed replica less than round robin does. Each case drives a real split deployment.

#include "bench/driver/files.hpp"
#include "bench/runner/fault_run.hpp"
#include "bench/runner/supervisor.hpp"
#include "bench/runner/workload.hpp"
#include "fault_scenario.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>

#include <filesystem>

using namespace splitbench;
using namespace splitbench::bench;
using namespace splitbench::testing;
using namespace std::chrono_literals;

namespace {

/// A split deployment with three catalog replicas, balanced as `balance` says, and a fault run on it.
struct replicated {
  scenario s = fault_scenario();
  std::string logs = make_temp_dir("splitbench-replicas");
  std::unique_ptr<deployment> d;
  request_mix mix;
  explicit replicated(std::string balance) {
    deployment_options o;
    o.kind = topology::split();
    o.bin_dir = SPLITBENCH_BIN_DIR;
    o.log_dir = logs;
    o.split_args = s.split_args();
    o.extra_args = {"--admin"};
    o.replicas = {{"catalog", 3}};
    o.balance = std::move(balance);
    d = std::make_unique<deployment>(o);
    mix = make_workload(s, d->address());
  }
  ~replicated() {
    d.reset();
    std::filesystem::remove_all(logs);
  }
  fault_measurement with(std::string const& spec) { return run_fault(*d, topology::split(), mix, s, parse_fault(spec), nullptr, {}); }

  /// Requests each catalog replica has served so far.
  std::vector<double> catalog_requests() const {
    std::vector<double> out;
    for (auto const& p : d->processes())
      if (p.name == "catalog") out.push_back(static_cast<double>(requests_served(p.address).value_or(0)));
    return out;
  }
};

double availability(fault_measurement const& m, std::string const& route) {
  for (auto const& r : m.routes)
    if (r.name == route) return r.availability;
  FAIL("no route " << route);
  return 0;
}

}  // namespace

TEST_CASE("three catalog replicas, one killed under load: every route keeps at least 99.5% of its answers") {
  replicated split("p2c");
  auto const& processes = split.d->processes();
  REQUIRE(processes.size() == 7);  // catalog x3, inventory, pricing, orders, gateway
  for (int k = 0; k < 3; ++k) {
    CHECK(processes[k].name == "catalog");
    CHECK(processes[k].replica == k);
  }
  CHECK(processes[0].address != processes[1].address);
  auto m = split.with("catalog:kill@1500ms");
  CHECK(m.process == "catalog");
  REQUIRE(m.restarts.size() == 1);  // the first replica, killed and restarted
  for (auto const* route : {"product", "search", "quote", "order"}) {
    INFO(route << ": " << availability(m, route));
    CHECK(availability(m, route) >= 0.995);
  }
}

TEST_CASE("three catalog replicas, one hung for 2 s: its calls time out once, go to another replica, and it is ejected") {
  replicated split("p2c");
  auto m = split.with("catalog:hang@1500ms/2s");
  CHECK(m.restarts.empty());
  for (auto const* route : {"product", "search", "quote", "order"}) {
    INFO(route << ": " << availability(m, route));
    CHECK(availability(m, route) >= 0.995);
  }
  for (auto const& r : m.routes) {
    INFO(r.name << ": p99 during " << r.p99_during_us << " µs");
    CHECK(r.p99_during_us < 4 * 300'000);  // a hung call waits out the 300 ms peer timeout, then is answered elsewhere
  }
}

TEST_CASE("one of three catalog replicas slowed by 50 ms: p2c sends it less than round robin does") {
  auto share_of_slowed = [](std::string const& balance) {
    replicated split(balance);
    auto before = split.catalog_requests();
    split.with("catalog:slow=50ms@500ms/5s");  // the first replica: all but the first half second of the window
    auto after = split.catalog_requests();
    double slowed = after[0] - before[0], all = 0;
    for (std::size_t k = 0; k < after.size(); ++k) all += after[k] - before[k];
    return slowed / all;
  };
  auto rr = share_of_slowed("rr");
  auto p2c = share_of_slowed("p2c");
  INFO("share of catalog calls the slowed replica took: rr " << rr << ", p2c " << p2c);
  CHECK(rr == Approx(1.0 / 3).margin(0.03));  // in turn: its third, slow or not
  CHECK(p2c < rr * 0.75);
}

TEST_CASE("replicas that cannot mean anything stop run and up before they start anything, with one line") {
  for (std::vector<std::string> command : {std::vector<std::string>{"run"}, {"up", "--deployment", "split"}}) {
    auto with = [&](std::string const& replicas) {
      auto argv = command;
      argv.insert(argv.end(), {"--replicas", replicas});
      return argv;
    };
    check_refused(with("catalog"), "--replicas: 'catalog' is not SERVICE=N (e.g. catalog=3)");
    check_refused(with("catalog=0"), "--replicas: catalog=0: N must be a whole number from 1 to 16, not '0'");
    check_refused(with("billing=2"), "--replicas: billing=2: no process is named 'billing' (gateway, catalog, inventory, pricing, orders, monolith, or a group such as pricing+orders)");
  }
  check_refused({"up", "--deployment", "monolith", "--replicas", "catalog=2"}, "--replicas: catalog=2: the monolith deployment has no process named catalog");
  check_refused({"run", "--replicas", "catalog=2", "--replicas", "catalog=3"}, "--replicas: catalog is replicated twice (catalog=2 and catalog=3)");
  check_refused({"run", "--balance", "random"}, "--balance must be rr or p2c, not 'random'");
  check_refused({"run", "--set", "deployment.balance=\"random\""}, "--set deployment.balance=\"random\": 'deployment.balance' must be \"rr\" or \"p2c\", not \"random\"");
  check_refused({"run", "--scenario", SPLITBENCH_SOURCE_DIR "/bench/scenarios/scaling.toml", "--set", "scaling.replicas=[2, 4]"},
          "--set scaling.replicas=[2, 4]: 'scaling.replicas' must start at 1: efficiency is measured against one replica");
}

TEST_CASE("up --replicas: the table numbers each replica, the gateway's share the front door's port, and each answers") {
  auto dir = make_temp_dir("splitbench-replicas-up");
  background up({bin("splitbench"), "up", "--deployment", "split", "--listen", "127.0.0.1:0", "--replicas", "catalog=2", "--replicas", "gateway=2",
                 "--balance", "rr", "--json", dir + "/up.json"});
  INFO(up.printed());
  REQUIRE(up.read_until("Ctrl-C stops it."));
  auto table = boost::json::parse(read_file(dir + "/up.json")).as_object();
  std::vector<std::string> names, gateways;
  std::vector<std::int64_t> replicas;
  for (auto const& v : table.at("processes").as_array()) {
    auto const& p = v.as_object();
    names.emplace_back(p.at("name").as_string());
    replicas.push_back(p.at("replica").as_int64());
    if (names.back() == "gateway") gateways.emplace_back(p.at("address").as_string());
    CHECK(wait_healthy(std::string(p.at("address").as_string()), 2'000ms));
  }
  CHECK(names == std::vector<std::string>{"catalog", "catalog", "inventory", "pricing", "orders", "gateway", "gateway"});
  CHECK(replicas == std::vector<std::int64_t>{0, 1, 0, 0, 0, 0, 1});
  REQUIRE(gateways.size() == 2);
  CHECK(gateways[0] == gateways[1]);
  CHECK(std::string(table.at("address").as_string()) == gateways[0]);
  ::kill(up.pid(), SIGTERM);
  CHECK(up.wait() == 0);
  std::filesystem::remove_all(dir);
}

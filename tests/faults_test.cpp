// Faults acting on a deployment under load, supervised: what each build keeps answering, how it
// fails, and how it comes back. Each case is one fault run (bench/runner/fault_run.hpp) against a
// real deployment, judged from the route timelines it returns.

#include "bench/driver/files.hpp"
#include "bench/runner/fault_run.hpp"
#include "bench/runner/supervisor.hpp"
#include "bench/runner/workload.hpp"
#include "fault_scenario.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <boost/json.hpp>

#include <csignal>
#include <filesystem>
#include <functional>
#include <thread>

using namespace splitbench;
using namespace splitbench::bench;
using namespace std::chrono_literals;

namespace {

struct running {
  scenario s = testing::fault_scenario();
  std::string logs = make_temp_dir("splitbench-faults");
  std::unique_ptr<deployment> d;
  request_mix mix;
  explicit running(topology kind, std::function<void(scenario&)> const& adjust = {}) {
    if (adjust) adjust(s);
    deployment_options o;
    o.kind = kind;
    o.bin_dir = SPLITBENCH_BIN_DIR;
    o.log_dir = logs;
    o.split_args = s.split_args();
    o.extra_args = {"--admin"};
    d = std::make_unique<deployment>(o);
    mix = make_workload(s, d->address());
  }
  ~running() {
    d.reset();
    std::filesystem::remove_all(logs);
  }
  fault_measurement with(std::string const& spec) {
    auto f = parse_fault(spec);
    return run_fault(*d, d->processes().size() == 1 ? topology::monolith() : topology::split(), mix, s, f, nullptr, {});
  }
};

/// The routes that lost answers: under 99% answered well in the fault window. The blast radius adds
/// the routes past the latency SLO, which in the sanitizer builds on two cores is the machine's.
std::vector<std::string> lost(fault_measurement const& m) {
  std::vector<std::string> out;
  for (auto const& r : m.routes)
    if (r.availability < 0.99) out.push_back(r.name);
  return out;
}

fault_route const& route(fault_measurement const& m, std::string const& name) {
  for (auto const& r : m.routes)
    if (r.name == name) return r;
  FAIL("no route " << name);
  throw;
}

void describe(fault_measurement const& m) {
  for (auto const& r : m.routes)
    UNSCOPED_INFO(r.name << ": availability " << r.availability << ", p99 during " << r.p99_during_us << " us, 5xx " << r.status_5xx
                         << ", timeouts " << r.timeouts << ", connection errors " << r.connection_errors << ", recovered after "
                         << (r.time_to_recover_s ? std::to_string(*r.time_to_recover_s) : "never"));
  for (auto const& r : m.routes) {
    std::string slices;
    for (auto const& t : r.timeline) slices += fmt::format(" {}/{}:{:.0f}[c{} u{}]", t.good, t.due, t.p99_us, t.connection_errors, t.unanswered);
    UNSCOPED_INFO(r.name << " (pre-fault p99 " << r.pre_fault_p99_us << " us) slices good/due:p99_us" << slices);
  }
  for (auto const& x : m.restarts)
    UNSCOPED_INFO("restart of " << x.process << ": exit " << x.exit_s << " (" << x.how << "), spawn " << x.spawn_s.value_or(-1) << ", ready "
                                << x.ready_s.value_or(-1));
}

/// Every process of the deployment runs and answers /health.
void check_whole(deployment& d) {
  for (auto& p : d.processes()) {
    INFO(p.name << ", log " << p.log_path << ":\n" << tail_of(p.log_path));
    CHECK_FALSE(exit_status(p).has_value());
    CHECK(wait_healthy(p.address, 2'000ms));
  }
}

}  // namespace

TEST_CASE("kill pricing: the split keeps product and search, fails quote and order fast, and recovers after the restart") {
  running split(topology::split());
  auto m = split.with("pricing:kill@1500ms");
  describe(m);
  CHECK(m.process == "pricing");
  CHECK(route(m, "product").availability >= 0.999);
  CHECK(route(m, "search").availability >= 0.999);
  for (auto const* name : {"quote", "order"}) {
    auto const& r = route(m, name);
    INFO(name);
    CHECK(r.uses_target);
    CHECK(r.availability < 0.99);
    CHECK(r.broken);
    CHECK(r.status_5xx > 0);                    // the gateway (or orders) answers 503 ...
    CHECK(r.timeouts == 0);                     // ... at once: nothing waits for a timeout
    CHECK(r.p99_during_us < 300'000);           // well under the peer timeout
    CHECK(r.time_to_available_s.has_value());   // and it answers again within the run
  }
  CHECK(lost(m) == std::vector<std::string>{"quote", "order"});
  CHECK(m.call_graph == std::vector<std::string>{"quote", "order"});
  REQUIRE(m.restarts.size() == 1);
  auto const& r = m.restarts[0];
  CHECK(r.process == "pricing");
  CHECK(r.how == "killed by signal 9");
  CHECK(r.exit_s >= 1.5);
  REQUIRE(r.spawn_s);
  CHECK(*r.spawn_s - r.exit_s >= 0.1);          // the back-off
  REQUIRE(r.ready_s);
  CHECK(*r.ready_s >= *r.spawn_s);
  CHECK(m.window_end_s == *r.ready_s);
  // The first good answer follows the restart within a slice, and the restart the death within the back-off.
  REQUIRE(r.first_good_s);
  CHECK(*r.first_good_s <= *r.ready_s + m.slice_s);
  CHECK(*r.spawn_s - r.exit_s <= 0.1 + 0.1);
  check_whole(*split.d);
}

TEST_CASE("kill pricing: the monolith loses every route until it is restarted") {
  running monolith(topology::monolith());
  auto m = monolith.with("pricing:kill@1500ms");
  describe(m);
  CHECK(m.process == "monolith");
  REQUIRE(m.restarts.size() == 1);
  auto const& restart = m.restarts[0];
  CHECK(restart.process == "monolith");
  REQUIRE(restart.ready_s);
  // Every route: its requests failed or waited for the restart, beyond the SLO.
  for (auto const& r : m.routes) {
    INFO(r.name);
    CHECK(r.broken);
    CHECK(r.time_to_available_s.has_value());
  }
  CHECK(m.blast_radius.size() == 4);
  check_whole(*monolith.d);
}

TEST_CASE("hang catalog: the split answers 504 at the peer timeout on every route that needs it") {
  running split(topology::split());
  auto m = split.with("catalog:hang@1500ms/1s");
  describe(m);
  CHECK(m.restarts.empty());
  CHECK(m.window_end_s == Approx(2.5));
  for (auto const& r : m.routes) {
    INFO(r.name);
    CHECK(r.uses_target);  // every route reads the catalog
    CHECK(r.broken);
    CHECK(r.status_5xx > 0);
    CHECK(r.timeouts == 0);  // the gateway gave up first, at 300 ms, well inside the driver's 2 s
    CHECK(r.p99_during_us >= 250'000);
    CHECK(r.time_to_available_s.has_value());
  }
  check_whole(*split.d);
}

TEST_CASE("hang catalog with a circuit breaker: once it opens, the split's failures are fast") {
  running split(topology::split(), [](scenario& s) {
    s.breaker_failures = 5;
    s.breaker_open = 2s;  // longer than the hang: no probe meets it
  });
  auto m = split.with("catalog:hang@1500ms/1500ms");
  describe(m);
  // The first calls wait out the peer timeout (300 ms) and open the breaker; from the second half
  // of the hang on, calls fail at once: every slice there has its p50 far under the peer timeout.
  for (auto const& r : m.routes) {
    INFO(r.name);
    CHECK(r.broken);
    for (auto const& t : r.timeline)
      if (t.start_s >= 2.25 && t.start_s + m.slice_s <= 3.0 && t.due > 0) {
        INFO("slice at " << t.start_s << " s");
        CHECK(t.p50_us < 50'000);
        CHECK(t.server_errors == t.due);
      }
  }
}

TEST_CASE("hang inventory: the split's routes that do not need it are untouched") {
  running split(topology::split());
  auto m = split.with("inventory:hang@1500ms/1s");
  describe(m);
  CHECK(route(m, "product").availability >= 0.999);
  CHECK(route(m, "search").availability >= 0.999);
  CHECK(route(m, "quote").broken);
  CHECK(route(m, "order").broken);
  CHECK(lost(m) == std::vector<std::string>{"quote", "order"});
}

TEST_CASE("restart never: a killed process stays down for the window, and is back for what follows") {
  running split(topology::split());
  split.s.fault_restart = false;
  auto m = split.with("pricing:kill@1500ms");
  describe(m);
  REQUIRE(m.restarts.size() == 1);
  CHECK_FALSE(m.restarts[0].spawn_s);
  CHECK_FALSE(route(m, "quote").time_to_available_s);
  CHECK_FALSE(route(m, "quote").time_to_recover_s);
  CHECK(route(m, "quote").availability < 0.01);
  CHECK(route(m, "product").availability >= 0.999);
  check_whole(*split.d);
}

TEST_CASE("term with a length: the process stays down that long before the restart") {
  running split(topology::split());
  auto m = split.with("inventory:term@1s/2s");
  describe(m);
  REQUIRE(m.restarts.size() == 1);
  CHECK(m.restarts[0].how == "exited with status 0");
  REQUIRE(m.restarts[0].spawn_s);
  CHECK(*m.restarts[0].spawn_s >= 3.0);
  CHECK(m.window_end_s >= 3.0);
  CHECK(route(m, "quote").time_to_available_s.has_value());
}

TEST_CASE("error on pricing: in both builds quote and order answer the status, product and search do not notice") {
  for (auto kind : {topology::monolith(), topology::split()}) {
    running d(kind);
    auto m = d.with("pricing:error=1:503@1500ms/1s");
    INFO(name_of(kind));
    describe(m);
    CHECK(m.warnings.empty());
    CHECK(m.restarts.empty());
    CHECK(route(m, "product").availability >= 0.999);
    CHECK(route(m, "search").availability >= 0.999);
    for (auto const* name : {"quote", "order"}) {
      auto const& r = route(m, name);
      INFO(name);
      CHECK(r.broken);
      CHECK(r.status_5xx > 0);
      CHECK(r.availability < 0.5);
      CHECK(r.time_to_available_s.has_value());  // off again after 1 s
    }
  }
}

TEST_CASE("slow catalog: every route answers, later by the delay, and is fast again after") {
  running split(topology::split());
  auto m = split.with("catalog:slow=20ms@1500ms/1s");
  describe(m);
  CHECK(m.warnings.empty());
  for (auto const& r : m.routes) {
    INFO(r.name);
    CHECK(r.availability >= 0.999);
    CHECK(r.p99_during_us >= 20'000);
    CHECK(r.broken);  // p99 during above the 10 ms SLO
    CHECK(r.time_to_available_s.has_value());
  }
}

TEST_CASE("bad faults on the command line: one line, status 2, before anything starts") {
  auto sb = testing::bin("splitbench");
  for (auto const& [arg, says] : std::vector<std::pair<std::string, std::string>>{
           {"pricing", "--fault: fault 'pricing' is not SERVICE:KIND@AT[/FOR]"},
           {"billing:kill@1s", "unknown service 'billing'"},
           {"pricing:melt@1s", "unknown kind 'melt' (kill, term, hang, slow=DELAY[:FRACTION] or error=FRACTION[:STATUS])"},
           {"pricing:slow=soon@1s/1s", "fault 'pricing:slow=soon@1s/1s'"},
           {"gateway:error=0.1@1s/1s", "the gateway runs no service of its own"},
           {"catalog:hang@1s", "a hang needs a length"},
           {"pricing:kill@30s", "does not end inside faults.duration (12s)"}}) {
    auto r = testing::run({sb, "run", "--results", "/nonexistent", "--fault", arg});
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(says) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
  auto r = testing::run({sb, "run", "--restart", "sometimes"});
  CHECK(r.status == 2);
}

TEST_CASE("up --restart always --admin: a killed process comes back on its address, the table follows it, faults switch by hand") {
  auto dir = make_temp_dir("splitbench-up-restart");
  auto table_path = dir + "/up.json";
  testing::background up({testing::bin("splitbench"), "up", "--deployment", "split", "--listen", "127.0.0.1:0", "--restart", "always",
                          "--admin", "--json", table_path});
  REQUIRE(up.read_until("Ctrl-C stops it."));
  auto pricing = [&] {
    auto table = boost::json::parse(read_file(table_path));
    for (auto const& p : table.at("processes").as_array())
      if (p.at("name").as_string() == "pricing") return std::pair(static_cast<pid_t>(p.at("pid").as_int64()), std::string(p.at("address").as_string()));
    FAIL("no pricing in the table");
    throw std::logic_error("unreachable");
  };
  auto [first_pid, address] = pricing();
  ::kill(first_pid, SIGKILL);
  REQUIRE(up.read_until("pricing restarted: pid"));
  INFO(up.printed());
  CHECK(up.printed().find("pricing (pid " + std::to_string(first_pid) + ") killed by signal 9; restarting in 100 ms") != std::string::npos);
  auto [second_pid, second_address] = pricing();
  CHECK(second_pid != first_pid);
  CHECK(second_address == address);
  CHECK(::kill(second_pid, 0) == 0);
  CHECK(wait_healthy(address, 2'000ms));
  CHECK_FALSE(switch_fault(address, "pricing", "error=1:503").has_value());  // --admin reached the restarted process
  CHECK_FALSE(switch_fault(address, "pricing", "").has_value());
  ::kill(up.pid(), SIGTERM);
  CHECK(up.wait() == 0);
  for (int i = 0; i < 100 && ::kill(second_pid, 0) == 0; ++i) std::this_thread::sleep_for(20ms);
  CHECK(::kill(second_pid, 0) != 0);
  std::filesystem::remove_all(dir);
}

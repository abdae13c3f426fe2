#include "bench/runner/scenario.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace splitbench::bench;
using namespace std::chrono_literals;

namespace {
std::string write_temp(std::string const& name, std::string const& content) {
  auto path = "/tmp/splitbench-scenario-test-" + name + ".toml";
  std::ofstream(path) << content;
  return path;
}
std::string error_of(std::string const& toml, std::vector<std::string> const& overrides = {}) {
  try {
    load_scenario(write_temp("bad", toml), overrides);
  } catch (scenario_error const& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("the default scenario file is the built-in default, written out") {
  auto from_file = load_scenario(SPLITBENCH_SCENARIOS_DIR "/default.toml");
  scenario builtin;
  builtin.source = from_file.source;
  CHECK(from_file == builtin);
}

TEST_CASE("every scenario shipped loads") {
  auto ci = load_scenario(SPLITBENCH_SCENARIOS_DIR "/ci.toml");
  CHECK(ci.name == "ci");
  CHECK_FALSE(ci.sweep);
  CHECK(ci.repetitions == 8);
  CHECK(ci.warmup == 500ms);
  CHECK(ci.weight_order == 10);  // unset fields keep their defaults
  auto faults = load_scenario(SPLITBENCH_SCENARIOS_DIR "/faults.toml");
  REQUIRE(faults.faults.size() == 5);
  CHECK(faults.faults[3].text() == "inventory:slow=lognormal(5ms,0.5):0.5@3s/2s");
  CHECK(faults.faults[4].text() == "pricing:error=0.05:500@3s/2s");
  CHECK(faults.faults[0].text() == "pricing:kill@3s");
  CHECK(faults.faults[1].text() == "inventory:term@3s/2s");
  CHECK(faults.faults[2].text() == "catalog:hang@3s/2s");
}

TEST_CASE("a scenario written out reads back the same") {
  scenario s;
  s.name = "x \"quoted\"";
  s.deployments = {topology::split()};
  s.inject_latency = {"pricing=300us"};
  s.compare_duration = 2500ms;
  s.slo_p99 = 750us;
  s.sweep = false;
  auto back = load_scenario(write_temp("roundtrip", to_toml(s)));
  back.source = s.source;
  CHECK(back == s);
}

TEST_CASE("bad scenario files name the file, the line and the key") {
  auto file = "/tmp/splitbench-scenario-test-bad.toml";
  CHECK(error_of("name = \"x\"\n\n[compare]\nrat = 5\n") == std::string(file) + ":4: unknown key 'compare.rat'");
  CHECK(error_of("colour = \"red\"\n") == std::string(file) + ":1: unknown key 'colour'");
  CHECK(error_of("[compare]\nrate = \"fast\"\n") == std::string(file) + ":2: 'compare.rate' must be a number");
  CHECK(error_of("[compare]\nrate = -5\n") == std::string(file) + ":2: 'compare.rate' must be from 1 to 10000000");
  CHECK(error_of("[compare]\nduration = 5\n") == std::string(file) + ":2: 'compare.duration' must be a duration in quotes, e.g. \"5s\"");
  CHECK(error_of("[sweep]\nslo_p99 = \"10 parsecs\"\n") ==
        std::string(file) + ":2: 'sweep.slo_p99' is not a duration: '10 parsecs' (use e.g. 500ms, 5s, 2m)");
  CHECK(error_of("deployments = [\"monolith\", \"lambda\"]\n") ==
        std::string(file) + ":1: 'deployments' has a bad topology: 'lambda' is not a topology: monolith, serialized, split, or groups of "
                            "services such as gateway+catalog,inventory,pricing+orders");
  CHECK(error_of("deployments = [\"monolith\", \"gateway+catalog,pricing+orders\"]\n") ==
        std::string(file) + ":1: 'deployments' has a bad topology: 'gateway+catalog,pricing+orders': inventory is in no group");
  CHECK(error_of("deployments = [\"split\", \"orders,pricing,inventory,catalog,gateway\"]\n") ==
        std::string(file) + ":1: 'deployments' has a bad topology: the split deployment is named twice");
  CHECK(error_of("repetitions = 2.5\n") == std::string(file) + ":1: 'repetitions' must be a whole number");
  CHECK(error_of("[sweep]\nenabled = \"yes\"\n") == std::string(file) + ":2: 'sweep.enabled' must be true or false");
  CHECK(error_of("[workload]\nproduct = 0\nsearch = 0\nquote = 0\norder = 0\n") == std::string(file) + ": the workload's weights must not all be 0");
  CHECK(error_of("name = \"unterminated\n").rfind(std::string(file) + ":1:", 0) == 0);
  CHECK(error_of("[driver]\nconnections = 1\nthreads = 2\n") == std::string(file) + ": driver.connections must be at least driver.threads");
  try {
    load_scenario("/nonexistent/scenario.toml");
    FAIL("no error");
  } catch (scenario_error const& e) {
    CHECK(std::string(e.what()).rfind("/nonexistent/scenario.toml", 0) == 0);
  }
}

TEST_CASE("overrides (--set) reach any field, typed as TOML or as a string") {
  auto s = load_scenario("", {"compare.rate=800", "sweep.enabled=false", "sweep.slo_p99=5ms", "name=quick", "deployments=[\"split\"]"});
  CHECK(s.compare_rate == 800);
  CHECK_FALSE(s.sweep);
  CHECK(s.slo_p99 == 5ms);
  CHECK(s.name == "quick");
  CHECK(s.deployments == std::vector<topology>{topology::split()});
  auto message = [](std::string const& o) {
    try {
      load_scenario("", {o});
    } catch (scenario_error const& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("compare.speed=3") == "--set compare.speed=3: unknown key 'compare.speed'");
  CHECK(message("compare.rate=fast") == "--set compare.rate=fast: 'compare.rate' must be a number");
  CHECK(message("norate") == "--set norate: use --set KEY=VALUE, e.g. --set compare.rate=800");
}

TEST_CASE("a scenario whose load the driver cannot drive fails before anything starts") {
  auto message = [](std::vector<std::string> const& o) {
    try {
      load_scenario("", o);
    } catch (scenario_error const& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({"compare.rate=2", "compare.duration=1s", "driver.connections=50"}).rfind("scenario: the compare phase cannot run: ", 0) == 0);
  CHECK(message({"sweep.start=1", "sweep.duration=1s", "driver.connections=50", "compare.rate=500"}).rfind("scenario: the sweep phase cannot run: ", 0) == 0);
  CHECK(message({"gate.threshold=0.5"}) == "no error");
}

TEST_CASE("faults: [[fault]] tables and [faults] settings, written out and read back") {
  auto s = load_scenario(write_temp("faults", R"toml(
[faults]
rate = 300
duration = "10s"
interval = "500ms"
restart = "never"

[[fault]]
service = "pricing"
kind = "kill"
at = "3s"

[[fault]]
service = "catalog"
kind = "hang"
at = "3s"
for = "2s"

[[fault]]
service = "inventory"
kind = "slow"
delay = "lognormal(2ms,0.5)"
fraction = 0.5
at = "1s"
for = "3s"

[[fault]]
service = "pricing"
kind = "error"
fraction = 0.05
status = 503
at = "1s"
for = "3s"
)toml"));
  REQUIRE(s.faults.size() == 4);
  CHECK(s.faults[2].text() == "inventory:slow=lognormal(2ms,0.5):0.5@1s/3s");
  CHECK(s.faults[3].text() == "pricing:error=0.05:503@1s/3s");
  CHECK(s.faults[0].text() == "pricing:kill@3s");
  CHECK(s.faults[1].text() == "catalog:hang@3s/2s");
  CHECK(s.fault_rate == 300);
  CHECK(s.fault_duration == 10s);
  CHECK(s.fault_slice == 500ms);
  CHECK_FALSE(s.fault_restart);
  auto back = load_scenario(write_temp("faults-back", to_toml(s)));
  back.source = s.source;
  CHECK(back == s);
  CHECK(parse_scenario(to_toml(s), "text") == [&] { auto t = s; t.source = "built-in"; return t; }());
}

TEST_CASE("faults that cannot work are found before anything starts") {
  CHECK_THROWS_WITH(load_scenario(write_temp("f1", "[[fault]]\nservice = \"billing\"\nkind = \"kill\"\nat = \"1s\"\n")),
                    Catch::Contains("'fault' unknown service 'billing'"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f2", "[[fault]]\nservice = \"pricing\"\nat = \"1s\"\n")), Catch::Contains("'fault' needs 'kind'"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f3", "[[fault]]\nservice = \"pricing\"\nkind = \"kill\"\nat = \"1s\"\nwhen = 2\n")),
                    Catch::Contains("unknown key 'when'"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f4", "[[fault]]\nservice = \"catalog\"\nkind = \"hang\"\nat = \"1s\"\n")),
                    Catch::Contains("a hang needs a length"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f5", "[[fault]]\nservice = \"pricing\"\nkind = \"kill\"\nat = \"20s\"\n")),
                    Catch::Contains("fault pricing:kill@20s does not end inside faults.duration (12s)"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f6", "[faults]\nrestart = \"sometimes\"\n")), Catch::Contains("must be \"always\" or \"never\""));
  CHECK_THROWS_WITH(load_scenario(write_temp("f7", "[[fault]]\nservice = \"pricing\"\nkind = \"slow\"\nat = \"1s\"\nfor = \"1s\"\n")),
                    Catch::Contains("'fault' needs 'delay'"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f8", "[[fault]]\nservice = \"pricing\"\nkind = \"kill\"\nstatus = 500\nat = \"1s\"\n")),
                    Catch::Contains("they belong to slow and error"));
  CHECK_THROWS_WITH(load_scenario(write_temp("f9", "[[fault]]\nservice = \"pricing\"\nkind = \"error\"\nfraction = 0.1\nstatus = 200\nat = \"1s\"\nfor = \"1s\"\n")),
                    Catch::Contains("must be from 400 to 599"));
}

TEST_CASE("a scenario recorded before a field existed reads with that field at its default") {
  auto s = parse_scenario("name = \"ci\"\nrepetitions = 8\n[compare]\nrate = 400\n", "an old report");
  scenario defaults;
  CHECK(s.peer_timeout == defaults.peer_timeout);
  CHECK(s.faults.empty());
  CHECK(s.compare_rate == 400);
}

TEST_CASE("distance: [distance] read, written out and read back, and the shipped scenario") {
  scenario defaults;
  CHECK_FALSE(defaults.distance);
  CHECK(defaults.distance_round_trips == std::vector<std::chrono::nanoseconds>{0us, 50us, 200us, 1ms, 5ms});
  CHECK(defaults.distance_repetitions == 4);
  CHECK(defaults.distance_sweep);
  auto s = load_scenario("", {"distance.enabled=true", "distance.round_trips=[\"0us\", \"150us\", \"2ms\"]", "distance.repetitions=2",
                              "distance.sweep=false"});
  CHECK(s.distance);
  CHECK(s.distance_round_trips == std::vector<std::chrono::nanoseconds>{0us, 150us, 2ms});
  CHECK(s.distance_repetitions == 2);
  CHECK_FALSE(s.distance_sweep);
  auto text = to_toml(s);
  CHECK(text.find("[distance]\nenabled = true\nround_trips = [\"0s\", \"150us\", \"2ms\"]\nrepetitions = 2\nsweep = false\n") != std::string::npos);
  auto back = load_scenario(write_temp("distance", text));
  back.source = s.source;
  CHECK(back == s);
  auto shipped = load_scenario(SPLITBENCH_SCENARIOS_DIR "/distance.toml");
  CHECK(shipped.distance);
  CHECK(shipped.distance_round_trips == defaults.distance_round_trips);
  CHECK(shipped.distance_sweep);
  CHECK_FALSE(shipped.sweep);
  CHECK(shipped.faults.empty());
}

TEST_CASE("distance: round trips that cannot be measured are refused in one line naming the key") {
  auto file = std::string("/tmp/splitbench-scenario-test-bad.toml");
  CHECK(error_of("[distance]\nround_trips = [\"1ms\", \"200us\"]\n") ==
        file + ":2: 'distance.round_trips' must rise, like [\"0us\", \"200us\", \"1ms\"]: '200us' is not above the one before");
  CHECK(error_of("[distance]\nround_trips = [\"0us\", \"0us\"]\n") ==
        file + ":2: 'distance.round_trips' must rise, like [\"0us\", \"200us\", \"1ms\"]: '0us' is not above the one before");
  CHECK(error_of("[distance]\nround_trips = [\"-1ms\"]\n") == file + ":2: 'distance.round_trips' must not be negative: '-1ms' (0us is loopback's own)");
  CHECK(error_of("[distance]\nround_trips = [\"far\"]\n") ==
        file + ":2: 'distance.round_trips' is not a list of durations: 'far' (use e.g. \"0us\", \"200us\", \"1ms\")");
  CHECK(error_of("[distance]\nround_trips = []\n") == file + ":2: 'distance.round_trips' must list at least one round trip, like [\"0us\", \"200us\", \"1ms\"]");
  CHECK(error_of("[distance]\nround_trips = [1, 2]\n") == file + ":2: 'distance.round_trips' must be a list of strings like \"200us\"");
  CHECK(error_of("[distance]\nrepetitions = 0\n") == file + ":2: 'distance.repetitions' must be from 1 to 100");
  CHECK(error_of("[distance]\nsweep = \"yes\"\n") == file + ":2: 'distance.sweep' must be true or false");
  CHECK(error_of("[distance]\nenabled = true\n[deployment]\nnetwork_delay = \"1ms\"\n") ==
        file + ": distance sets the split's network delay itself, half of each round trip: deployment.network_delay must be empty");
  CHECK(error_of("[distance]\nenabled = false\n[deployment]\nnetwork_delay = \"1ms\"\n") == "no error");
}

TEST_CASE("payload: [payload] read, written out and read back, and the shipped scenario") {
  scenario defaults;
  CHECK_FALSE(defaults.payload);
  CHECK(defaults.payload_limits == std::vector<int>{1, 2, 5, 10, 20, 50, 100});
  CHECK(defaults.payload_lines == std::vector<int>{1, 2, 5, 10, 20, 50});
  auto s = load_scenario("", {"payload.enabled=true", "payload.limits=[3, 30]", "payload.lines=[]", "payload.repetitions=2", "payload.rate=250",
                              "payload.duration=750ms"});
  CHECK(s.payload);
  CHECK(s.payload_limits == std::vector<int>{3, 30});
  CHECK(s.payload_lines.empty());
  CHECK(s.payload_repetitions == 2);
  CHECK(s.payload_rate == 250);
  CHECK(s.payload_duration == 750ms);
  auto text = to_toml(s);
  CHECK(text.find("[payload]\nenabled = true\nlimits = [3, 30]\nlines = []\nrepetitions = 2\nrate = 250\nduration = \"750ms\"\n") != std::string::npos);
  auto back = load_scenario(write_temp("payload", text));
  back.source = s.source;
  CHECK(back == s);
  auto shipped = load_scenario(SPLITBENCH_SCENARIOS_DIR "/payload.toml");
  CHECK(shipped.payload);
  CHECK(shipped.payload_limits == defaults.payload_limits);
  CHECK(shipped.payload_lines == defaults.payload_lines);
  CHECK_FALSE(shipped.sweep);
  CHECK(shipped.faults.empty());
}

TEST_CASE("payload: sizes that cannot be sent are refused in one line naming the key") {
  auto file = std::string("/tmp/splitbench-scenario-test-bad.toml");
  CHECK(error_of("[payload]\nlimits = [1, 101]\n") == file + ":2: 'payload.limits' must list whole numbers from 1 to 100 (the search's limit)");
  CHECK(error_of("[payload]\nlimits = [0]\n") == file + ":2: 'payload.limits' must list whole numbers from 1 to 100 (the search's limit)");
  CHECK(error_of("[payload]\nlines = [1, 51]\n") == file + ":2: 'payload.lines' must list whole numbers from 1 to 50 (the quote's lines)");
  CHECK(error_of("[payload]\nlines = [5, 2]\n") == file + ":2: 'payload.lines' must rise, like [1, 10, 50]: 2 is not above the one before");
  CHECK(error_of("[payload]\nlines = [\"5\"]\n") == file + ":2: 'payload.lines' must list whole numbers from 1 to 50 (the quote's lines)");
  CHECK(error_of("[payload]\nlimits = 10\n") == file + ":2: 'payload.limits' must be a list of the search's limit, rising from 1 to 100, like [1, 10, 100]");
  CHECK(error_of("[payload]\nrepetitions = 0\n") == file + ":2: 'payload.repetitions' must be from 1 to 100");
  CHECK(error_of("[payload]\nduration = \"0s\"\n") == file + ":2: 'payload.duration' must be above 0");
  CHECK(error_of("[payload]\nenabled = true\nlimits = []\nlines = []\n") == file + ": payload.limits and payload.lines are both empty: nothing to sweep");
  CHECK(error_of("[payload]\nenabled = false\nlimits = []\nlines = []\n") == "no error");
  CHECK(error_of("[payload]\nsize = 3\n") == file + ":2: unknown key 'payload.size'");
}

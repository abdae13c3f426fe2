// Command lines that cannot work get one clear line and exit status 2.

#include "held_port.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

using namespace splitbench::testing;

namespace {
void check_usage_error(std::vector<std::string> argv, std::string const& says) {
  auto r = run(std::move(argv));
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(says) != std::string::npos);
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
}
}  // namespace

TEST_CASE("bad arguments of splitbench load") {
  auto sb = bin("splitbench");
  check_usage_error({sb, "load", "not a url"}, "invalid URL");
  check_usage_error({sb, "load", "https://127.0.0.1/"}, "only http://");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--rate", "-5"}, "--rate must be a number above 0");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--duration", "10parsecs"}, "invalid duration '10parsecs'");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--connections", "1", "--threads", "2"}, "must be at least --threads");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--body", "/nonexistent/file"}, "cannot read /nonexistent/file");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--frobnicate"}, "unknown option --frobnicate");
  check_usage_error({sb, "frobnicate"}, "unknown command 'frobnicate'");
  check_usage_error({sb, "up"}, "up needs --deployment");
  check_usage_error({sb, "--frobnicate"}, "unknown option --frobnicate");  // options alone go to the default run
  check_usage_error({sb, "--set", "compare.rat=5"}, "--set compare.rat=5: unknown key 'compare.rat'");
}

TEST_CASE("bad arguments of the server processes") {
  check_usage_error({bin("splitbench-monolith"), "--listen", "nowhere"}, "invalid address 'nowhere'");
  check_usage_error({bin("splitbench-monolith"), "--threads", "0"}, "--threads must be a whole number from 1 to 256");
  check_usage_error({bin("splitbench-service"), "gateway", "--listen", "127.0.0.1:0"}, "gateway needs --catalog");
  check_usage_error({bin("splitbench-service"), "payments", "--listen", "127.0.0.1:0"}, "unknown role 'payments'");
}

TEST_CASE("a port in use is one line naming the address, status 2") {
  held_port held;
  check_usage_error({bin("splitbench-monolith"), "--listen", held.address()}, "cannot listen on " + held.address() + ": Address already in use");
}

TEST_CASE("a binary missing: one line naming it, status 2, no run left behind") {
  // A copy of splitbench in a directory without the deployments' binaries.
  auto dir = splitbench::bench::make_temp_dir("splitbench-lonely");
  auto copy = dir + "/splitbench";
  REQUIRE(std::system(("cp '" + bin("splitbench") + "' '" + copy + "'").c_str()) == 0);
  auto r = run({copy, "up", "--deployment", "monolith", "--listen", "127.0.0.1:0", "--log-dir", dir});
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("cannot start monolith: " + dir + "/splitbench-monolith is missing or not executable") != std::string::npos);
  auto results = dir + "/results";
  auto run_result = run({copy, "run", "--results", results, "--set", "repetitions=1"});
  INFO(run_result.output);
  CHECK(run_result.status == 2);
  CHECK(run_result.output.find("is missing or not executable") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(results + "/latest"));
  CHECK(std::filesystem::is_empty(results + "/runs"));
}

TEST_CASE("splitbench load --json writes the documented document") {
  auto r = run({bin("splitbench"), "load", "http://127.0.0.1:1/", "--rate", "10", "--connections", "1", "--duration", "200ms",
                "--warmup", "0s", "--timeout", "100ms", "--json", "/tmp/splitbench-cli-test.json"});
  INFO(r.output);
  CHECK(r.status == 0);  // a refused connection is counted, never fatal
  std::ifstream in("/tmp/splitbench-cli-test.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(json.find(R"("schema":"splitbench.load/2")") != std::string::npos);
  for (auto field : {R"("error_rps")", R"("late")", R"("in_flight_at_end")", R"("queue_wait_us")", R"("hiccups_us")", R"("good_latency_us")"})
    CHECK(json.find(field) != std::string::npos);
  CHECK(json.find(R"("errors_by_kind":{"connect":)") != std::string::npos);
  CHECK(json.find(R"("throughput_rps")") != std::string::npos);
  std::remove("/tmp/splitbench-cli-test.json");
}

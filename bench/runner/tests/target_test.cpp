#include "bench/runner/target.hpp"
#include "cli/options.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;

TEST_CASE("a process's CPU and memory are read from the standard process collector's samples") {
  auto s = parse_process_sample(
      "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
      "# TYPE process_cpu_seconds_total counter\n"
      "process_cpu_seconds_total_other 9\n"
      "process_cpu_seconds_total 12.345\n"
      "# TYPE process_resident_memory_bytes gauge\n"
      "process_resident_memory_bytes 7.340032e+06\n");
  REQUIRE(s);
  CHECK(s->cpu_seconds == Approx(12.345));
  CHECK(s->resident_bytes == 7'340'032);
  CHECK_FALSE(parse_process_sample("process_cpu_seconds_total 1\n"));  // memory missing
  CHECK_FALSE(parse_process_sample("process_cpu_seconds_total x\nprocess_resident_memory_bytes 1\n"));
  CHECK_FALSE(parse_process_sample(""));
}

TEST_CASE("targets are named monolith or split, the monolith first, each with the metrics given for it") {
  auto t = parse_targets({"split=http://127.0.0.1:8081", "monolith=http://localhost:8080/"},
                         {"split=http://127.0.0.1:9001,http://127.0.0.1:9002"});
  REQUIRE(t.size() == 2);
  CHECK(t[0].name == "monolith");
  CHECK(t[0].address == "127.0.0.1:8080");
  CHECK(t[0].metrics.empty());
  CHECK(t[1].address == "127.0.0.1:8081");
  CHECK(t[1].metrics == std::vector<std::string>{"127.0.0.1:9001", "127.0.0.1:9002"});
  CHECK_THROWS_AS(parse_targets({"split=http://127.0.0.1:8081"}, {"split="}), splitbench::cli::usage_error);
  CHECK_THROWS_AS(parse_targets({"split=http://127.0.0.1:99999"}, {}), splitbench::cli::usage_error);
  CHECK_THROWS_AS(parse_targets({"split=http://no-such-host.invalid:80"}, {}), splitbench::cli::usage_error);
}

#include "cli/options.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::cli;
using namespace std::chrono_literals;

TEST_CASE("durations take units") {
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("10s") == 10s);
  CHECK(parse_duration("2m") == 120s);
  CHECK(parse_duration("300us") == 300us);
  CHECK(parse_duration("1.5s") == 1500ms);
  CHECK(parse_duration("0s") == 0s);
  CHECK_THROWS_AS(parse_duration("10"), usage_error);
  CHECK_THROWS_AS(parse_duration("10 s"), usage_error);
  CHECK_THROWS_AS(parse_duration("-1s"), usage_error);
  CHECK_THROWS_AS(parse_duration("10parsecs"), usage_error);
  CHECK_THROWS_AS(parse_duration(""), usage_error);
}

TEST_CASE("durations are written as they are read") {
  CHECK(format_duration(10s) == "10s");
  CHECK(format_duration(75'000ms) == "75s");
  CHECK(format_duration(120s) == "2m");
  CHECK(format_duration(1500ms) == "1500ms");
  CHECK(format_duration(300us) == "300us");
  CHECK(format_duration(0s) == "0s");
  for (std::chrono::nanoseconds d : std::vector<std::chrono::nanoseconds>{1ns, 999ns, 1001ns, 61'000ms, 3600s, 5400s})
    CHECK(parse_duration(format_duration(d)) == d);
}

TEST_CASE("addresses are IPv4 HOST:PORT") {
  auto a = parse_host_port("127.0.0.1:8080");
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == 8080);
  CHECK(parse_host_port("localhost:0").host == "127.0.0.1");
  CHECK_THROWS_AS(parse_host_port("127.0.0.1"), usage_error);
  CHECK_THROWS_AS(parse_host_port("127.0.0.1:70000"), usage_error);
  CHECK_THROWS_AS(parse_host_port("example.com:80"), usage_error);
}

TEST_CASE("flags with values, switches and positionals") {
  std::string listen;
  bool verbose = false;
  std::vector<flag> flags = {{"listen", true, [&](std::string_view v) { listen = v; }, ""},
                             {"verbose", false, [&](std::string_view) { verbose = true; }, ""}};
  char const* argv[] = {"prog", "run", "--listen", "1.2.3.4:5", "--verbose", "x"};
  auto pos = parse(6, argv, 1, flags);
  CHECK(pos == std::vector<std::string>{"run", "x"});
  CHECK(listen == "1.2.3.4:5");
  CHECK(verbose);
  char const* eq[] = {"prog", "--listen=9.9.9.9:1"};
  parse(2, eq, 1, flags);
  CHECK(listen == "9.9.9.9:1");
  char const* unknown[] = {"prog", "--nope"};
  CHECK_THROWS_WITH(parse(2, unknown, 1, flags), "unknown option --nope");
  char const* missing[] = {"prog", "--listen"};
  CHECK_THROWS_WITH(parse(2, missing, 1, flags), "--listen needs a value");
}

TEST_CASE("numbers are checked") {
  CHECK(parse_integer("12", 1, 100, "threads") == 12);
  CHECK_THROWS_AS(parse_integer("0", 1, 100, "threads"), usage_error);
  CHECK_THROWS_AS(parse_integer("1x", 1, 100, "threads"), usage_error);
  CHECK(parse_positive("2.5", "rate") == 2.5);
  CHECK_THROWS_AS(parse_positive("-3", "rate"), usage_error);
  CHECK_THROWS_AS(parse_positive("nan", "rate"), usage_error);
  CHECK(format_number(10) == "10");
  CHECK(format_number(0.5) == "0.5");
}

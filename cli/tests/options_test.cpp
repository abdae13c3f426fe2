#include "cli/flags.hpp"
#include "cli/options.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::cli;
using namespace std::chrono_literals;

namespace {

/// argv for parse: {"prog", "cmd", args...}.
struct args {
  args(std::initializer_list<char const*> a) : argv{"prog", "cmd"} { argv.insert(argv.end(), a); }
  std::vector<char const*> argv;
  int argc() const { return static_cast<int>(argv.size()); }
};

std::vector<std::string> parse_args(args const& a, command const& c) { return parse(a.argc(), a.argv.data(), 2, c); }

std::string usage_message(args const& a, command const& c) {
  try {
    parse_args(a, c);
  } catch (usage_error const& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

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
  CHECK_THROWS_WITH(parse_duration("10"), Catch::Contains("a number and a unit (ns, us, ms, s, m, h)"));
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

TEST_CASE("a peer's address may be a host name") {
  CHECK(parse_peer_address("catalog:8080").host == "catalog");
  CHECK(parse_peer_address("catalog.splitbench.svc.cluster.local:8080").port == 8080);
  CHECK(parse_peer_address("10.0.0.7:9001").host == "10.0.0.7");
  CHECK(parse_peer_address("localhost:9001").host == "127.0.0.1");
  CHECK_THROWS_AS(parse_peer_address("catalog"), usage_error);
  CHECK_THROWS_AS(parse_peer_address("cat_alog:8080"), usage_error);
  CHECK_THROWS_AS(parse_peer_address("10.0.0:8080"), usage_error);
  CHECK_THROWS_AS(parse_peer_address("catalog:http"), usage_error);
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

TEST_CASE("flags with values, switches and operands") {
  std::string listen;
  bool verbose = false;
  command c{.name = "prog cmd",
            .operands = {{"FIRST", ""}, {"SECOND", ""}},
            .flags = {{.name = "listen", .value = "HOST:PORT", .set = [&](std::string_view v) { listen = v; }},
                      {.name = "verbose", .set = [&](std::string_view) { verbose = true; }}},
            .examples = {"prog cmd a b"}};
  CHECK(parse_args({"a", "--listen", "1.2.3.4:5", "--verbose", "b"}, c) == std::vector<std::string>{"a", "b"});
  CHECK(listen == "1.2.3.4:5");
  CHECK(verbose);
  parse_args({"--listen=9.9.9.9:1", "a", "b"}, c);
  CHECK(listen == "9.9.9.9:1");
  SECTION("-- ends the flags") { CHECK(parse_args({"a", "--", "--listen"}, c) == std::vector<std::string>{"a", "--listen"}); }
  SECTION("a lone - is an operand") { CHECK(parse_args({"-", "b"}, c) == std::vector<std::string>{"-", "b"}); }
  SECTION("mistakes are one line naming what is wrong") {
    CHECK(usage_message({"a", "b", "--nope"}, c) == "unknown option --nope; 'prog cmd --help' lists the options");
    CHECK(usage_message({"a", "b", "--listn", "x"}, c) == "unknown option --listn; did you mean --listen?");
    CHECK(usage_message({"a", "b", "--listn=x"}, c) == "unknown option --listn; did you mean --listen?");
    CHECK(usage_message({"a", "b", "-listen", "x"}, c) == "unknown option -listen; did you mean --listen?");
    CHECK(usage_message({"a", "b", "---"}, c) == "unknown option ---; 'prog cmd --help' lists the options");
    CHECK(usage_message({"a", "b", "--listen"}, c) == "--listen needs a value: HOST:PORT");
    CHECK(usage_message({"a", "b", "--listen", "--verbose"}, c) == "--listen needs a value: HOST:PORT");
    CHECK(usage_message({"a", "b", "--verbose=yes"}, c) == "--verbose takes no value");
    CHECK(usage_message({"a"}, c) == "cmd needs SECOND, e.g. prog cmd a b");
    CHECK(usage_message({}, c) == "cmd needs FIRST and SECOND, e.g. prog cmd a b");
    CHECK(usage_message({"a", "b", "c"}, c) == "unexpected argument 'c': prog cmd takes only FIRST and SECOND");
  }
}

TEST_CASE("a last operand of one or more takes every operand left") {
  command c{.name = "prog merge", .operands = {{.name = "SHARD", .more = true}}, .examples = {"prog merge a.json b.json"}};
  CHECK(parse_args({"a", "b", "c"}, c) == std::vector<std::string>{"a", "b", "c"});
  CHECK(parse_args({"a"}, c) == std::vector<std::string>{"a"});
  CHECK(usage_message({}, c) == "merge needs SHARD, e.g. prog merge a.json b.json");
  try {
    parse_args({"--help"}, c);
    FAIL("no help_request");
  } catch (help_request const& h) {
    CHECK(h.text.starts_with("usage: prog merge SHARD...\n"));
  }
}

TEST_CASE("help and version requests are answers, not errors, wherever they stand") {
  command c{.name = "prog cmd", .summary = "does a thing", .operands = {{"URL", ""}}};
  for (auto a : {args{"--help"}, args{"-h"}, args{"x", "y", "--nope", "--help"}}) {
    try {
      parse_args(a, c);
      FAIL("no help_request");
    } catch (help_request const& h) {
      CHECK(h.text.starts_with("usage: prog cmd URL\n"));
      CHECK(h.described.name == "prog cmd");
    }
  }
  try {
    parse_args({"--version"}, c);
    FAIL("no help_request");
  } catch (help_request const& h) {
    CHECK(h.text.starts_with("prog 0."));
    CHECK(h.text.find("commit ") != std::string::npos);
    CHECK(h.text.find(" build)\n") != std::string::npos);
  }
  CHECK(parse_args({"--", "--help"}, c) == std::vector<std::string>{"--help"});
}

TEST_CASE("typed flags set their variable and name themselves in errors") {
  int threads = 1;
  std::chrono::milliseconds timeout{2'000};
  std::optional<double> rate;
  std::string format = "text";
  std::vector<std::string> headers;
  std::optional<host_port> peer;
  command c{.name = "prog cmd",
            .flags = {whole("threads", threads, 1, 256, ""), duration("timeout", timeout, ""), number("rate", rate, "", "R", "none"),
                      one_of("format", format, {"text", "md", "json"}, ""), each("header", headers, "K:V", ""),
                      required(address("peer", peer, ""))}};
  parse_args({"--threads", "4", "--timeout=1.5s", "--rate", "250", "--format", "md", "--header", "a:1", "--header", "b:2",
              "--peer", "localhost:9"},
             c);
  CHECK(threads == 4);
  CHECK(timeout == 1500ms);
  CHECK(rate == 250);
  CHECK(format == "md");
  CHECK(headers == std::vector<std::string>{"a:1", "b:2"});
  REQUIRE(peer);
  CHECK(peer->port == 9);
  CHECK(usage_message({"--peer", "1.2.3.4:5", "--threads", "0"}, c) == "--threads must be a whole number from 1 to 256, not '0'");
  CHECK(usage_message({"--peer", "1.2.3.4:5", "--timeout", "5"}, c) ==
        "--timeout: '5' is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. 500ms, 10s, 2m");
  CHECK(usage_message({"--peer", "1.2.3.4:5", "--format", "html"}, c) == "--format must be text, md or json, not 'html'");
  CHECK(usage_message({"--peer", "nowhere"}, c) ==
        "--peer: invalid address 'nowhere' (use HOST:PORT, e.g. 127.0.0.1:8080)");
  CHECK(usage_message({"--threads", "2"}, c) == "cmd needs --peer HOST:PORT");
  CHECK(usage_message({"--peer", "1.2.3.4:5", "--timeout"}, c) == "--timeout needs a value: DURATION (a duration such as 500ms, 10s or 2m)");
}

TEST_CASE("a typed flag's default is its variable's value when the table is made") {
  int threads = 3;
  std::chrono::milliseconds idle{75'000};
  std::optional<double> rate;
  double rtt_rate = 1000;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  CHECK(whole("threads", threads, 1, 256, "").default_text == "3");
  CHECK(whole("threads", threads, 1, 256, "").type == "whole number from 1 to 256");
  CHECK(whole("seed", threads, 0, INT64_MAX, "").type == "whole number from 0");
  CHECK(duration("idle", idle, "").default_text == "75s");
  CHECK(number("rate", rate, "", "R", "none (closed loop)").default_text == "none (closed loop)");
  CHECK(number("rate", rtt_rate, "").default_text == "1000");
  CHECK(address("listen", host, port, "").default_text == "127.0.0.1:0");
  CHECK(with_default(address("listen", host, port, ""), "any").default_text == "any");
  std::string format = "text";
  auto f = one_of("format", format, {"text", "md", "json"}, "");
  CHECK(f.value == "text|md|json");
  CHECK(f.default_text == "text");
  CHECK(f.choices == std::vector<std::string>{"text", "md", "json"});
}

// Command lines that cannot work get one clear line and exit status 2; a load that measured nothing
// gets one line and status 1.

#include "held_port.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>

using namespace splitbench::testing;

TEST_CASE("bad arguments of splitbench load") {
  auto sb = bin("splitbench");
  check_usage_error({sb, "load", "not a url"}, "invalid URL");
  check_usage_error({sb, "load", "https://127.0.0.1/"}, "only http://");
  check_usage_error({sb, "load", "http://nosuch.invalid:1/"}, "cannot resolve 'nosuch.invalid' in http://nosuch.invalid:1/");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--rate", "-5"}, "--rate must be a number above 0");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--duration", "10parsecs"},
                    "--duration: '10parsecs' is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. 500ms, 10s, 2m");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--duration"},
                    "--duration needs a value: DURATION (a duration such as 500ms, 10s or 2m)");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--rate", "--threads", "2"}, "--rate needs a value: R (number above 0)");
  check_usage_error({sb, "load"}, "load needs URL, e.g. splitbench load http://127.0.0.1:8080/health");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--connections", "1", "--threads", "2"}, "must be at least --threads");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--body", "/nonexistent/file"}, "cannot read /nonexistent/file");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--frobnicate"},
                    "unknown option --frobnicate; 'splitbench load --help' lists the options");
  check_usage_error({sb, "frobnicate"}, "unknown command 'frobnicate'; 'splitbench --help' lists the commands");
  check_usage_error({sb, "up"}, "up needs --deployment");
  check_usage_error({sb, "--frobnicate"}, "unknown option --frobnicate");  // options alone go to the default run
  check_usage_error({sb, "--set", "compare.rat=5"}, "--set compare.rat=5: unknown key 'compare.rat'");
  check_usage_error({sb, "compare", "a"}, "compare needs NEW, e.g. splitbench compare");
  check_usage_error({sb, "floors", "extra"}, "unexpected argument 'extra': splitbench floors takes no arguments");
  check_usage_error({sb, "completion", "zsh"}, "completion knows bash only, not 'zsh'");
}

TEST_CASE("a mistyped name gets the nearest one") {
  auto sb = bin("splitbench");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--rat", "5"}, "splitbench: unknown option --rat; did you mean --rate?");
  check_usage_error({sb, "load", "http://127.0.0.1:1/", "--conections=5"}, "unknown option --conections; did you mean --connections?");
  check_usage_error({sb, "lod", "http://127.0.0.1:1/"}, "splitbench: unknown command 'lod'; did you mean 'load'?");
  check_usage_error({sb, "help", "compre"}, "unknown command 'compre'; did you mean 'compare'?");
  check_usage_error({sb, "run", "--deploy", "split"}, "unknown option --deploy; did you mean --deployment?");
  check_usage_error({sb, "--scenaro", "x.toml"}, "unknown option --scenaro; did you mean --scenario?");
  check_usage_error({sb, "up", "--deployment", "monolith", "--lisen", "127.0.0.1:0"}, "unknown option --lisen; did you mean --listen?");
  check_usage_error({sb, "compare", "a", "b", "--treshold", "5"}, "unknown option --treshold; did you mean --threshold?");
  check_usage_error({bin("splitbench-monolith"), "--thread", "2"}, "splitbench-monolith: unknown option --thread; did you mean --threads?");
  check_usage_error({bin("splitbench-service"), "gatway"}, "splitbench-service: unknown role 'gatway'; did you mean 'gateway'?");
  check_usage_error({bin("splitbench-service"), "catalog", "--listen", "127.0.0.1:0", "--max-conections", "9"},
                    "unknown option --max-conections; did you mean --max-connections?");
}

TEST_CASE("bad arguments of the server processes") {
  check_usage_error({bin("splitbench-monolith"), "--listen", "nowhere"}, "invalid address 'nowhere'");
  check_usage_error({bin("splitbench-monolith"), "--threads", "0"}, "--threads must be a whole number from 1 to 256");
  check_usage_error({bin("splitbench-service"), "gateway", "--listen", "127.0.0.1:0"}, "gateway needs --catalog");
  check_usage_error({bin("splitbench-service"), "payments", "--listen", "127.0.0.1:0"}, "unknown role 'payments'");
  check_usage_error({bin("splitbench-service"), "orders", "--listen", "127.0.0.1:0", "--catalog", "127.0.0.1:1"},
                    "orders needs --inventory HOST:PORT");
  check_usage_error({bin("splitbench-service"), "catalog", "--orders", "127.0.0.1:1"}, "unknown option --orders");
  check_usage_error({bin("splitbench-service"), "--listen", "127.0.0.1:0"}, "a ROLE or --services comes first");
  check_usage_error({bin("splitbench-service")}, "a ROLE or --services comes first");
  check_usage_error({bin("splitbench-service"), "--services", "gateway,catalg", "--listen", "127.0.0.1:0"},
                    "--services gateway,catalg: no service is named 'catalg'; did you mean 'catalog'?");
  check_usage_error({bin("splitbench-service"), "--services", "pricing,pricing", "--listen", "127.0.0.1:0"}, "pricing is named twice");
  check_usage_error({bin("splitbench-service"), "catalog", "--services", "pricing", "--listen", "127.0.0.1:0"}, "a ROLE or --services, not both");
  check_usage_error({bin("splitbench-service"), "--services", "pricing,orders", "--listen", "127.0.0.1:0", "--inventory", "127.0.0.1:1"},
                    "needs --catalog");
  check_usage_error({bin("splitbench-monolith"), "--binding", "wire"}, "--binding must be local or serialized, not 'wire'");
  check_usage_error({bin("splitbench-monolith"), "--idle-timeout", "5"}, "--idle-timeout: '5' is not a duration");
  check_usage_error({bin("splitbench-monolith"), "extra"}, "unexpected argument 'extra': splitbench-monolith takes no arguments");
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

TEST_CASE("splitbench load against nothing: status 1, one line saying so, and the JSON all the same") {
  closed_port nobody;
  auto r = run({bin("splitbench"), "load", "http://" + nobody.address() + "/", "--rate", "10", "--connections", "1", "--duration",
                "200ms", "--warmup", "0s", "--timeout", "100ms", "--json", "/tmp/splitbench-cli-test.json"});
  INFO(r.output);
  CHECK(r.status == 1);  // a refused connection is counted, never fatal; a run of nothing but those fails
  CHECK(r.output.starts_with("splitbench load: could not connect to " + nobody.address() + " ("));
  CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  std::ifstream in("/tmp/splitbench-cli-test.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(json.find(R"("schema":"splitbench.load/3")") != std::string::npos);
  for (auto field : {R"("error_rps")", R"("late")", R"("in_flight_at_end")", R"("queue_wait_us")", R"("hiccups_us")", R"("good_latency_us")"})
    CHECK(json.find(field) != std::string::npos);
  CHECK(json.find(R"("errors_by_kind":{"connect":)") != std::string::npos);
  CHECK(json.find(R"("throughput_rps")") != std::string::npos);
  std::remove("/tmp/splitbench-cli-test.json");
}

TEST_CASE("splitbench load fails when not one response succeeded, and passes when they did") {
  background server({bin("splitbench-monolith"), "--listen", "127.0.0.1:0"});
  REQUIRE(server.read_until("listening on http://"));
  REQUIRE(server.read_until("\n"));
  auto address = server.printed().substr(server.printed().find("http://"));
  address.pop_back();  // the newline
  std::vector<std::string> load = {bin("splitbench"), "load", "", "--rate", "100", "--connections", "2",
                                   "--duration", "300ms", "--warmup", "0s"};

  load[2] = address + "/api/products/999999999";  // 404, every one
  auto missing = run(load);
  INFO(missing.output);
  CHECK(missing.status == 1);
  std::smatch m;
  REQUIRE(std::regex_search(missing.output, m, std::regex(R"(status: 2xx 0 3xx 0 4xx (\d+) 5xx 0\n)")));  // the table of what came back
  CHECK(std::stoi(m[1]) > 0);
  CHECK(missing.output.ends_with("splitbench load: not one of " + m[1].str() + " responses succeeded (4xx " + m[1].str() + ", 5xx 0)\n"));

  load[2] = address + "/health";
  auto healthy = run(load);
  INFO(healthy.output);
  CHECK(healthy.status == 0);
  REQUIRE(std::regex_search(healthy.output, m, std::regex(R"(status: 2xx (\d+) 3xx 0 4xx 0 5xx 0\n)")));
  CHECK(std::stoi(m[1]) > 0);
  CHECK(healthy.output.find("splitbench load:") == std::string::npos);
}

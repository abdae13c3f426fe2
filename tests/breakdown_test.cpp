// Server-Timing through the real binaries: absent unless asked, valid W3C syntax on internal
// calls when asked, and a breakdown of the split's added latency whose parts add up to it.

#include "bench/driver/files.hpp"
#include "bench/report/breakdown.hpp"
#include "bench/runner/deployment.hpp"
#include "bench/runner/scenario.hpp"
#include "bench/runner/workload.hpp"
#include "cli/options.hpp"
#include "net/server_timing.hpp"
#include "processes.hpp"
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace splitbench;

namespace {

bench::deployment_options options(bench::topology kind, std::string const& logs) {
  bench::deployment_options o;
  o.kind = kind;
  o.bin_dir = SPLITBENCH_BIN_DIR;
  o.log_dir = logs;
  return o;
}

std::uint16_t port_of(std::string const& address) { return cli::parse_host_port(address).port; }

/// One request over `c`; `asked`: with `X-Splitbench-Timing: 1`.
std::string exchange(testing::raw_client& c, std::string_view method, std::string_view target, std::string_view body, bool asked) {
  auto bytes = fmt::format("{} {} HTTP/1.1\r\nHost: x\r\n{}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}", method, target,
                           asked ? "X-Splitbench-Timing: 1\r\n" : "", body.size(), body);
  REQUIRE(c.send(bytes));
  return c.read_response();
}

std::string lower_head(std::string const& response) {
  auto head = response.substr(0, response.find("\r\n\r\n"));
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return head;
}

/// The value of the response's Server-Timing field; empty if it has none.
std::string server_timing_of(std::string const& response) {
  auto head = lower_head(response);
  auto at = head.find("\r\nserver-timing:");
  if (at == std::string::npos) return {};
  auto from = at + 16;
  auto end = std::min(head.find("\r\n", from), head.size());  // the head ends without a line end
  auto value = response.substr(from, end - from);
  return value.substr(value.find_first_not_of(' '));
}

struct public_request {
  std::string_view method, target, body;
};

std::vector<public_request> const& public_requests() {
  static std::vector<public_request> const all = {
      {"GET", "/api/products/42", ""},
      {"GET", "/api/products?category=books&limit=5", ""},
      {"POST", "/api/quote", R"({"items":[{"product_id":1,"qty":2},{"product_id":9,"qty":1}],"region":"EU","tier":"gold"})"},
      {"POST", "/api/orders", R"({"items":[{"product_id":3,"qty":1}],"region":"US","tier":"standard","customer":"ada"})"},
      {"GET", "/api/orders/1", ""},
      {"GET", "/api/products/0", ""},
      {"GET", "/health", ""},
  };
  return all;
}

}  // namespace

TEST_CASE("breakdown: without X-Splitbench-Timing no public response carries Server-Timing or an X-Splitbench header") {
  auto logs = bench::make_temp_dir("splitbench-timing-off");
  bench::deployment monolith(options(bench::topology::monolith(), logs));
  bench::deployment split(options(bench::topology::split(), logs));
  for (auto const* d : {&monolith, &split}) {
    testing::raw_client c(port_of(d->address()));
    REQUIRE(c.connected());
    for (auto const& r : public_requests()) {
      auto response = exchange(c, r.method, r.target, r.body, false);
      INFO(r.method << " " << r.target << "\n" << response);
      REQUIRE(testing::raw_client::status_of(response) >= 200);
      auto head = lower_head(response);
      CHECK(head.find("server-timing") == std::string::npos);
      CHECK(head.find("x-splitbench") == std::string::npos);
    }
    // Asked, the same front door answers with its parts, which add up to its total.
    auto asked = exchange(c, "POST", "/api/quote", public_requests()[2].body, true);
    auto value = server_timing_of(asked);
    INFO(asked);
    REQUIRE(net::valid_server_timing(value));
    auto parts = net::parse_server_timing(value);
    REQUIRE(parts);
    CHECK(std::abs(parts->sum() - parts->total) <= 1'000);  // each part rounded to 0.1 us
  }
  CHECK_FALSE(monolith.failure());
  CHECK_FALSE(split.failure());
}

TEST_CASE("breakdown: the split's internal calls answer with a W3C Server-Timing when asked and only then") {
  auto logs = bench::make_temp_dir("splitbench-timing-internal");
  bench::deployment split(options(bench::topology::split(), logs));
  auto address_of = [&](std::string_view name) {
    auto i = split.index_of(name);
    REQUIRE(i);
    return split.processes()[*i].address;
  };
  struct internal {
    std::string_view process, method, target, body;
  };
  std::vector<internal> const calls = {
      {"catalog", "GET", "/internal/products/7", ""},
      {"catalog", "POST", "/internal/products", R"({"ids":[1,2,3]})"},
      {"inventory", "POST", "/internal/availability", R"({"ids":[1,2,3]})"},
      {"pricing", "POST", "/internal/quote", R"({"items":[{"product_id":1,"qty":2}],"region":"EU","tier":"gold"})"},
      {"orders", "POST", "/internal/orders", R"({"items":[{"product_id":5,"qty":1}],"region":"EU","tier":"gold","customer":"bo"})"},
  };
  for (auto const& call : calls) {
    testing::raw_client c(port_of(address_of(call.process)));
    REQUIRE(c.connected());
    auto plain = exchange(c, call.method, call.target, call.body, false);
    INFO(call.process << " " << call.target << "\n" << plain);
    CHECK(testing::raw_client::status_of(plain) < 300);
    CHECK(server_timing_of(plain).empty());
    auto asked = exchange(c, call.method, call.target, call.body, true);
    INFO(asked);
    CHECK(testing::raw_client::status_of(asked) < 300);
    auto value = server_timing_of(asked);
    REQUIRE(net::valid_server_timing(value));
    auto parts = net::parse_server_timing(value);
    REQUIRE(parts);
    CHECK(parts->total > 0);
    CHECK(parts->logic >= 0);
    CHECK(parts->codec > 0);
    CHECK(std::abs(parts->sum() - parts->total) <= 1'000);
    // Orders calls three peers itself: its answer names them, and its network part is theirs.
    if (call.process == "orders") {
      CHECK(value.find("call-catalog;dur=") != std::string::npos);
      CHECK(value.find("call-pricing;dur=") != std::string::npos);
      CHECK(value.find("call-inventory;dur=") != std::string::npos);
      CHECK(parts->net > 0);
    } else {
      CHECK(parts->net == 0);
    }
  }
  CHECK_FALSE(split.failure());
}

TEST_CASE("breakdown: at p50 the parts of the split's added latency sum to it within 10% on every route") {
  auto logs = bench::make_temp_dir("splitbench-timing-sum");
  bench::deployment monolith(options(bench::topology::monolith(), logs));
  bench::deployment split(options(bench::topology::split(), logs));
  bench::scenario s;
  // 300 req/s leaves the sanitizer builds' processes (several times slower) far from saturation,
  // where queueing would be the machine's; 10 s gives the order route (a tenth of the mix) some 300.
  auto lo = s.load_at(300, std::chrono::seconds(10));
  lo.warmup = std::chrono::seconds(1);
  std::vector<bench::request_mix> mixes;
  mixes.push_back(bench::make_workload(s, monolith.address()));
  mixes.push_back(bench::make_workload(s, split.address()));
  std::vector<bench::breakdown_subject> subjects;
  for (auto [name, d, mix] : {std::tuple{"monolith", &monolith, &mixes[0]}, std::tuple{"split", &split, &mixes[1]}}) {
    auto hp = cli::parse_host_port(d->address());
    subjects.push_back({name, hp.host, hp.port, mix});
  }
  auto m = bench::measure_breakdown(subjects, lo);
  CHECK(m.rounds == 4);  // the deployments took turns, four windows each, merged
  REQUIRE(m.deployments.size() == 2);
  for (auto const& d : m.deployments)
    for (auto const& r : d.routes) {
      INFO(d.name << " " << r.name);
      CHECK(r.responses >= 250);
      CHECK(r.missing == 0);
    }
  auto rows = bench::added_latency(m);
  REQUIRE(rows.size() == m.deployments[1].routes.size());
  for (auto const& r : rows) {
    INFO(fmt::format("{} {}: added {:.1f} us; logic {:.1f} codec {:.1f} framing {:.1f} queue {:.1f}: sum {:.1f}", r.deployment, r.route, r.added_us,
                     r.logic_us, r.codec_us, r.framing_us, r.queue_us, r.parts_us()));
    CHECK(r.deployment == "split");
    CHECK(r.added_us > 0);
    REQUIRE(r.mismatch());
    CHECK(*r.mismatch() <= 0.10);
  }
  CHECK_FALSE(monolith.failure());
  CHECK_FALSE(split.failure());
}

// The monolith and the split must answer the same requests with the same bytes: they run the
// same flows, so any difference is a bug in the split's plumbing.

#include "bench/runner/deployment.hpp"
#include "bench/driver/files.hpp"
#include "cli/options.hpp"
#include "core/random.hpp"

#include <array>
#include "processes.hpp"
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace splitbench;

namespace {

struct http_request {
  std::string method, target, body;
};

/// A seeded sequence over every route: valid requests, and invalid ones of every kind.
std::vector<http_request> mixed_requests(std::uint64_t seed, int count) {
  splitmix64 rng(seed);
  auto pick = [&](auto const& options) { return options[rng.below(std::size(options))]; };
  std::string_view const categories[] = {"books", "toys", "garden", "office", "shoes", "", "BOOKS"};
  std::string_view const words[] = {"oak", "chair", "kett", "lamp", "steel+mug", "%21", "zzz", "", "Tiny%20Oak", "%zz"};
  std::string_view const regions[] = {"EU", "US", "UK", "CH", "JP", "MARS", "eu"};
  std::string_view const tiers[] = {"standard", "silver", "gold", "platinum", "diamond"};
  std::string_view const malformed[] = {
      "", "{", "[]", "null", "42", R"({"items":"x","region":"EU","tier":"gold"})", R"({"items":[],"region":"EU","tier":"gold"})",
      R"({"items":[{"product_id":1}],"region":"EU","tier":"gold"})", R"({"items":[{"product_id":1,"qty":"2"}],"region":"EU","tier":"gold"})",
      R"({"items":[{"product_id":1,"qty":2.5}],"region":"EU","tier":"gold"})", R"({"items":[{"product_id":1,"qty":0}],"region":"EU","tier":"gold"})",
      R"({"items":[{"product_id":1,"qty":100000000000000000000}],"region":"EU","tier":"gold"})",
      R"({"items":[{"product_id":1,"qty":1}],"region":"EU","tier":"gold","extra":1})",
      "{\"items\":[{\"product_id\":1,\"qty\":1}],\"region\":\"\xc3\x28\",\"tier\":\"gold\"}",
      R"([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])",
      R"({"items":[{"product_id":0,"qty":1}],"region":"EU","tier":"gold"})"};
  std::vector<http_request> out;
  int orders_placed = 0;
  auto items = [&] {
    std::string s = "[";
    auto n = 1 + rng.below(4);
    for (std::uint64_t i = 0; i < n; ++i) {
      auto id = rng.below(20) == 0 ? 10'000 + rng.below(5) : 1 + rng.below(10'000);  // some unknown
      auto qty = rng.below(25) == 0 ? 999 : 1 + rng.below(6);                        // some too many
      s += fmt::format("{}{{\"product_id\":{},\"qty\":{}}}", i ? "," : "", id, qty);
    }
    return s + "]";
  };
  for (int i = 0; i < count; ++i) {
    switch (rng.below(9)) {
      case 0:
      case 1: {
        std::string_view const bad[] = {"0", "10001", "abc", "-5", "99999999999", "1.5", "%31"};
        auto id = rng.below(4) == 0 ? std::string(pick(bad)) : std::to_string(1 + rng.below(10'000));
        out.push_back({"GET", "/api/products/" + id, ""});
        break;
      }
      case 2: {
        std::string q;
        if (rng.below(2)) q += fmt::format("category={}&", pick(categories));
        if (rng.below(2)) q += fmt::format("q={}&", pick(words));
        if (rng.below(3) == 0) q += fmt::format("limit={}&", pick(std::array<std::string_view, 5>{"1", "100", "0", "101", "x"}));
        if (rng.below(15) == 0) q += "sort=price&";
        out.push_back({"GET", "/api/products" + (q.empty() ? "" : "?" + q.substr(0, q.size() - 1)), ""});
        break;
      }
      case 3:
      case 4:
        out.push_back({"POST", "/api/quote",
                       rng.below(5) == 0 ? std::string(pick(malformed))
                                         : fmt::format(R"({{"items":{},"region":"{}","tier":"{}"}})", items(), pick(regions), pick(tiers))});
        break;
      case 5:
      case 6:
        ++orders_placed;
        out.push_back({"POST", "/api/orders",
                       rng.below(6) == 0 ? std::string(pick(malformed))
                                         : fmt::format(R"({{"customer":"c{}","items":{},"region":"{}","tier":"{}"}})", rng.below(50),
                                                       items(), pick(regions), pick(tiers))});
        break;
      case 7:
        out.push_back({"GET", "/api/orders/" + (rng.below(6) == 0 ? std::string("x1") : std::to_string(1 + rng.below(orders_placed + 3))), ""});
        break;
      default: {
        http_request const odd[] = {{"DELETE", "/api/products/1", ""}, {"GET", "/nope", ""}, {"PUT", "/api/orders", "{}"},
                                    {"GET", "/api/quote", ""}, {"GET", "/health", ""}};
        out.push_back(pick(odd));
      }
    }
  }
  return out;
}

std::string send(testing::raw_client& c, http_request const& r) {
  auto bytes = fmt::format("{} {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
                           r.method, r.target, r.body.size(), r.body);
  REQUIRE(c.send(bytes));
  return c.read_response();
}

bench::deployment_options options(bench::topology kind, std::string const& logs) {
  bench::deployment_options o;
  o.kind = kind;
  o.bin_dir = SPLITBENCH_BIN_DIR;
  o.log_dir = logs;
  return o;
}

/// The monolith and `topology` started afresh, sent one mixed sequence request by request, each
/// answer compared byte for byte.
void check_parity(std::string const& topology, std::size_t processes) {
  auto logs = bench::make_temp_dir("splitbench-parity");
  bench::deployment monolith(options(bench::topology::monolith(), logs));
  bench::deployment other(options(bench::topology::parse(topology), logs));
  REQUIRE(other.processes().size() == processes);
  auto port = [](bench::deployment const& d) { return cli::parse_host_port(d.address()).port; };
  testing::raw_client m(port(monolith)), s(port(other));

  auto requests = mixed_requests(2024, 600);
  int statuses[6] = {};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto const& r = requests[i];
    auto from_monolith = send(m, r);
    auto from_other = send(s, r);
    INFO(topology << ", request " << i << ": " << r.method << " " << r.target << " " << r.body);
    REQUIRE(from_other == from_monolith);
    auto status = testing::raw_client::status_of(from_monolith);
    REQUIRE(status >= 200);
    REQUIRE(status < 500);  // bad input is never a server error
    statuses[status / 100]++;
    if (status >= 400) REQUIRE(from_monolith.find("\r\n\r\n{\"error\":\"") != std::string::npos);
  }
  // The sequence really covers both outcomes, and orders really went through both ways.
  CHECK(statuses[2] > 150);
  CHECK(statuses[4] > 150);
  CHECK_FALSE(monolith.failure());
  CHECK_FALSE(other.failure());
}

}  // namespace

TEST_CASE("the monolith and the split answer a mixed sequence byte for byte alike") { check_parity("split", 5); }

TEST_CASE("the serialized monolith answers as the monolith does byte for byte") { check_parity("serialized", 1); }

TEST_CASE("a topology of three groups answers as the monolith does byte for byte") {
  check_parity("gateway+catalog,inventory,pricing+orders", 3);
}

TEST_CASE("one group of all five services answers as the monolith does byte for byte") {
  check_parity("gateway+catalog+inventory+pricing+orders", 1);
}

TEST_CASE("a gateway alone before one process of every service answers as the monolith does byte for byte") {
  check_parity("gateway,catalog+inventory+pricing+orders", 2);
}

// Faults switched on a running deployment through --admin: the same actions give the same public
// answers in both builds, only while they are on.

#include "bench/driver/files.hpp"
#include "bench/runner/deployment.hpp"
#include "cli/values.hpp"
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

using namespace splitbench;
using namespace std::chrono_literals;
using testing::raw_client;

namespace {

struct answer {
  unsigned status = 0;
  std::string body;
  std::chrono::steady_clock::duration took{};
};

answer ask(std::string const& address, std::string const& method, std::string const& target, std::string const& body = {}) {
  raw_client c(cli::parse_host_port(address).port, 5'000ms);
  auto started = std::chrono::steady_clock::now();
  c.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  auto response = c.read_response();
  answer a{raw_client::status_of(response), "", std::chrono::steady_clock::now() - started};
  auto head_end = response.find("\r\n\r\n");
  if (head_end != std::string::npos) a.body = response.substr(head_end + 4);
  return a;
}

std::string const quote = R"({"items":[{"product_id":17,"qty":2}],"region":"EU","tier":"gold"})";

/// A deployment of `kind` whose every process serves /admin/faults.
bench::deployment start(bench::topology kind) {
  bench::deployment_options o;
  o.kind = kind;
  o.bin_dir = SPLITBENCH_BIN_DIR;
  o.log_dir = bench::make_temp_dir("splitbench-faults");
  o.extra_args = {"--admin"};
  return bench::deployment(o);
}

/// The address of the process that runs `service`: its own in the split, the one in the monolith.
std::string const& runner_of(bench::deployment const& d, std::string const& service) {
  auto i = d.index_of(service);
  return i ? d.processes()[*i].address : d.address();
}

void check_faults(bench::topology kind) {
  auto d = start(kind);
  auto const& front = d.address();
  auto const& pricing = runner_of(d, "pricing");
  auto const& catalog = runner_of(d, "catalog");
  REQUIRE(ask(front, "POST", "/api/quote", quote).status == 200);

  SECTION("an error fault on pricing fails the quote with its status, only while it is on") {
    REQUIRE(ask(pricing, "PUT", "/admin/faults/pricing", "error=1:503").status == 204);
    CHECK(ask(pricing, "GET", "/admin/faults").body.find(R"("active":{"pricing":"error=1:503"})") != std::string::npos);
    auto failed = ask(front, "POST", "/api/quote", quote);
    CHECK(failed.status == 503);
    CHECK(failed.body == R"({"error":"injected fault in pricing: error=1:503"})");
    CHECK(ask(front, "GET", "/api/products/17").status == 200);  // the catalog alone still answers
    // A status no error kind names reaches the client as it is.
    REQUIRE(ask(pricing, "PUT", "/admin/faults/pricing", "error=1:502").status == 204);
    CHECK(ask(front, "POST", "/api/quote", quote).status == 502);
    REQUIRE(ask(pricing, "DELETE", "/admin/faults/pricing").status == 204);
    CHECK(ask(front, "POST", "/api/quote", quote).status == 200);
    CHECK(ask(pricing, "GET", "/admin/faults").body.find(R"("active":{})") != std::string::npos);
  }

  SECTION("a slow fault on the catalog delays the product by its delay, only while it is on") {
    REQUIRE(ask(catalog, "PUT", "/admin/faults/catalog", "slow=20ms").status == 204);
    auto slow = ask(front, "GET", "/api/products/17");
    CHECK(slow.status == 200);
    CHECK(slow.took >= 20ms);
    REQUIRE(ask(catalog, "DELETE", "/admin/faults/catalog").status == 204);
    // The fastest of a few: one request may meet a busy machine, all of them will not.
    auto fastest = std::chrono::steady_clock::duration::max();
    for (int i = 0; i < 5; ++i) {
      auto a = ask(front, "GET", "/api/products/17");
      CHECK(a.status == 200);
      fastest = std::min(fastest, a.took);
    }
    CHECK(fastest < 20ms);
  }

  SECTION("an error fault on each service fails exactly the routes that call it, with its status") {
    std::string const order = R"({"customer":"ada","items":[{"product_id":17,"qty":1}],"region":"EU","tier":"gold"})";
    REQUIRE(ask(front, "POST", "/api/orders", order).status == 201);
    struct route {
      std::string method, target, body;
    };
    std::vector<route> const routes = {{"GET", "/api/products/17", ""}, {"GET", "/api/products?category=books&limit=3", ""},
                                       {"POST", "/api/quote", quote}, {"POST", "/api/orders", order},
                                       {"GET", "/api/orders/1", ""}};
    // Per service, which of the routes above call it.
    std::vector<std::pair<std::string, std::vector<bool>>> const calls = {{"catalog", {true, true, true, true, false}},
                                                                          {"inventory", {false, false, true, true, false}},
                                                                          {"pricing", {false, false, true, true, false}},
                                                                          {"orders", {false, false, false, true, true}}};
    for (auto const& [service, called] : calls) {
      auto const& process = runner_of(d, service);
      REQUIRE(ask(process, "PUT", "/admin/faults/" + service, "error=1:502").status == 204);
      for (std::size_t i = 0; i < routes.size(); ++i) {
        INFO(service << ": " << routes[i].method << " " << routes[i].target);
        auto a = ask(front, routes[i].method, routes[i].target, routes[i].body);
        CHECK(a.status == (called[i] ? 502u : routes[i].target == "/api/orders" ? 201u : 200u));
        if (called[i]) CHECK(a.body == R"({"error":"injected fault in )" + service + R"(: error=1:502"})");
      }
      REQUIRE(ask(process, "DELETE", "/admin/faults/" + service).status == 204);
    }
    // An unknown product is the client's mistake where it comes in a body.
    REQUIRE(ask(catalog, "PUT", "/admin/faults/catalog", "error=1:404").status == 204);
    CHECK(ask(front, "GET", "/api/products/17").status == 404);
    CHECK(ask(front, "POST", "/api/quote", quote).status == 400);
    REQUIRE(ask(catalog, "DELETE", "/admin/faults/catalog").status == 204);
  }

  SECTION("a bad action is a 400 and a service the process does not run a 404, both with a JSON error") {
    auto bad = ask(pricing, "PUT", "/admin/faults/pricing", "slow=fast");
    CHECK(bad.status == 400);
    CHECK(bad.body.starts_with(R"({"error":"unknown delay distribution 'fast')"));
    auto out_of_range = ask(pricing, "PUT", "/admin/faults/pricing", "error=0.5:600");
    CHECK(out_of_range.status == 400);
    CHECK(out_of_range.body == R"({"error":"the status must be a whole number from 400 to 599, not '600'"})");
    CHECK(ask(pricing, "PUT", "/admin/faults/pricing", "").status == 400);
    auto unknown = ask(pricing, "PUT", "/admin/faults/shipping", "slow=2ms");
    CHECK(unknown.status == 404);
    CHECK(unknown.body.starts_with(R"({"error":"this process runs no service 'shipping')"));
    CHECK(ask(front, "POST", "/api/quote", quote).status == 200);  // nothing was switched on
    if (kind == bench::topology::split()) {
      // The gateway runs none of the services: the fault goes to the process that does.
      CHECK(ask(front, "PUT", "/admin/faults/catalog", "slow=2ms").status == 404);
      CHECK(ask(front, "GET", "/admin/faults").body == R"({"services":[],"active":{}})");
    }
  }
  d.stop();
}

}  // namespace

TEST_CASE("faults switched through /admin/faults on the monolith") { check_faults(bench::topology::monolith()); }

TEST_CASE("faults switched through /admin/faults on the split") { check_faults(bench::topology::split()); }

TEST_CASE("without --admin there is no /admin/faults") {
  bench::deployment_options o;
  o.bin_dir = SPLITBENCH_BIN_DIR;
  o.log_dir = bench::make_temp_dir("splitbench-faults");
  bench::deployment d(o);
  CHECK(ask(d.address(), "PUT", "/admin/faults/pricing", "error=1:503").status == 404);
  CHECK(ask(d.address(), "POST", "/api/quote", quote).status == 200);
  d.stop();
}

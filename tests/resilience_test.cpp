// A peer service that hangs or dies: the gateway answers 504 or 503 with a JSON error within
// its timeout, never hangs a client, and recovers when the peer is back.

#include "bench/runner/deployment.hpp"
#include "bench/driver/files.hpp"
#include "bench/runner/supervisor.hpp"
#include "cli/options.hpp"
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

using namespace splitbench;
using namespace std::chrono_literals;
using testing::raw_client;

namespace {
std::string get(std::uint16_t port, std::string const& target) {
  raw_client c(port, 5'000ms);
  c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
  return c.read_response();
}
}  // namespace

TEST_CASE("the gateway answers 504 for a hung peer, 503 for a dead one, and recovers") {
  bench::deployment_options o;
  o.kind = bench::topology::split();
  o.bin_dir = SPLITBENCH_BIN_DIR;
  o.log_dir = bench::make_temp_dir("splitbench-resilience");
  o.extra_args = {"--peer-timeout", "300ms"};
  bench::deployment split(o);
  auto port = cli::parse_host_port(split.address()).port;
  auto const& catalog = split.processes()[0];
  REQUIRE(catalog.name == "catalog");
  REQUIRE(raw_client::status_of(get(port, "/api/products/17")) == 200);

  // Hung: the catalog stops answering. The gateway gives up at its peer timeout.
  ::kill(catalog.pid, SIGSTOP);
  auto started = std::chrono::steady_clock::now();
  auto hung = get(port, "/api/products/17");
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(raw_client::status_of(hung) == 504);
  CHECK(hung.find(R"({"error":"catalog timed out after 300 ms"})") != std::string::npos);
  CHECK(took >= 250ms);
  CHECK(took < 2s);
  // Routes that do not need the catalog still answer meanwhile.
  CHECK(raw_client::status_of(get(port, "/health")) == 200);
  ::kill(catalog.pid, SIGCONT);
  CHECK(raw_client::status_of(get(port, "/api/products/17")) == 200);

  // Dead: connection refused, at once.
  auto address = catalog.address;
  auto dead = split.processes()[0];
  ::kill(dead.pid, SIGKILL);
  std::this_thread::sleep_for(100ms);
  started = std::chrono::steady_clock::now();
  auto refused = get(port, "/api/products/17");
  CHECK(raw_client::status_of(refused) == 503);
  CHECK(refused.find(R"({"error":"catalog unavailable: )") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(split.failure().has_value());

  // Back on the same address: the gateway's next request reaches it.
  auto again = bench::spawn_server("catalog", std::string(SPLITBENCH_BIN_DIR) + "/splitbench-service", {"catalog", "--listen", address},
                                   o.log_dir + "/catalog-again.log", 5'000ms);
  CHECK(raw_client::status_of(get(port, "/api/products/17")) == 200);
  bench::stop_process(again, 2'000ms);
}

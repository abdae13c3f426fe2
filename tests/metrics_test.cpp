// /metrics of every server process, as Prometheus reads it: `promtool check metrics` accepts it
// as it is, and its histograms count what was sent, route by route on the server's side and
// peer by peer on the caller's.

#include "bench/driver/files.hpp"
#include "bench/runner/deployment.hpp"
#include "bench/runner/supervisor.hpp"
#include "cli/values.hpp"
#include "processes.hpp"
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace splitbench;
using namespace splitbench::testing;
using namespace std::chrono_literals;

namespace {

/// A deployment of `kind`, stopped and its logs removed when the test ends.
struct running {
  std::string logs = bench::make_temp_dir("splitbench-metrics");
  std::optional<bench::deployment> d;
  explicit running(bench::topology kind) {
    bench::deployment_options o;
    o.kind = kind;
    o.bin_dir = SPLITBENCH_BIN_DIR;
    o.log_dir = logs;
    d.emplace(o);
  }
  ~running() {
    d.reset();
    std::filesystem::remove_all(logs);
  }
  std::string const& address_of(std::string_view name) const { return d->processes()[d->index_of(name).value()].address; }
};

/// Sends each of `targets` as a GET on one keep-alive connection; every answer must be 200 or 404.
void get_all(std::string const& address, std::vector<std::string> const& targets) {
  raw_client c(cli::parse_host_port(address).port, 5'000ms);
  for (auto const& t : targets) {
    REQUIRE(c.send("GET " + t + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto status = raw_client::status_of(c.read_response());
    CHECK((status == 200 || status == 404));
  }
}

/// The body of GET /metrics.
std::string scrape(std::string const& address) {
  raw_client c(cli::parse_host_port(address).port, 5'000ms);
  REQUIRE(c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto response = c.read_response();
  REQUIRE(raw_client::status_of(response) == 200);
  return response.substr(response.find("\r\n\r\n") + 4);
}

/// What `promtool check metrics` says of `text`: its exit status and output.
run_result promtool(std::string const& text) {
  auto dir = bench::make_temp_dir("splitbench-promtool");
  auto file = dir + "/metrics.txt";
  std::ofstream(file) << text;
  auto r = run({"/bin/sh", "-c", "exec promtool check metrics < '" + file + "'"});
  std::filesystem::remove_all(dir);
  return r;
}

/// One series of a histogram as exposed: its buckets' `le` and cumulative counts in order, and _count.
struct exposed_histogram {
  std::vector<std::pair<std::string, std::uint64_t>> buckets;
  std::optional<std::uint64_t> count;
};

/// The series of histogram `name` whose labels are `labels` (as written, `le` aside).
exposed_histogram histogram_in(std::string const& text, std::string const& name, std::string const& labels) {
  exposed_histogram h;
  auto bucket = name + "_bucket{" + labels + ",le=\"";
  auto count = name + "_count{" + labels + "} ";
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    auto line = text.substr(at, end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (line.starts_with(bucket)) {
      auto quote = line.find('"', bucket.size());
      h.buckets.emplace_back(line.substr(bucket.size(), quote - bucket.size()), std::stoull(line.substr(line.rfind(' ') + 1)));
    } else if (line.starts_with(count)) {
      h.count = std::stoull(line.substr(count.size()));
    }
  }
  return h;
}

/// Buckets never fall, end in +Inf, and +Inf is _count, which is `expected`.
void check_counts(exposed_histogram const& h, std::uint64_t expected) {
  REQUIRE(h.buckets.size() == 20);
  for (std::size_t i = 1; i < h.buckets.size(); ++i) CHECK(h.buckets[i - 1].second <= h.buckets[i].second);
  CHECK(h.buckets.back().first == "+Inf");
  CHECK(h.buckets.back().second == expected);
  CHECK(h.count == expected);
}

constexpr char const* request_durations = "splitbench_http_request_duration_seconds";

}  // namespace

TEST_CASE("the monolith's /metrics passes promtool, and its route histograms count what each route was sent") {
  running m(bench::topology::monolith());
  auto const& front = m.d->address();
  get_all(front, {"/api/products/3", "/api/products/4", "/api/products/5", "/api/products/99999999", "/api/products?q=oak&limit=3",
                  "/no/such/path", "/api/products/7", "/api/products/8", "/api/products/9"});
  auto text = scrape(front);
  auto check = promtool(text);
  CHECK(check.status == 0);
  CHECK(check.output == "");

  check_counts(histogram_in(text, request_durations, R"(method="GET",route="/api/products/{id}")"), 7);  // 404s included
  check_counts(histogram_in(text, request_durations, R"(method="GET",route="/api/products")"), 1);
  check_counts(histogram_in(text, request_durations, R"(method="GET",route="unmatched")"), 1);
  check_counts(histogram_in(text, request_durations, R"(method="POST",route="/api/quote")"), 0);
  CHECK(text.find("/api/products/3") == std::string::npos);  // a pattern is a label, a path never
  CHECK(text.find("splitbench_peer_request_duration_seconds") == std::string::npos);  // it calls no peer
  for (auto family : {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds"})
    CHECK(text.find(std::string("\n# TYPE ") + family + " ") != std::string::npos);
  // What the runner reads of /metrics still reads: these requests, the /health checks and both scrapes.
  auto served = bench::requests_served(front);
  REQUIRE(served);
  CHECK(*served >= 11);
}

TEST_CASE("every process of the split passes promtool, and the gateway's peer histogram counts its calls to that peer") {
  running s(bench::topology::split());
  auto const& gateway = s.d->address();
  std::vector<std::string> targets;
  for (int id = 1; id <= 6; ++id) targets.push_back("/api/products/" + std::to_string(id));
  get_all(gateway, targets);

  for (auto const& p : s.d->processes()) {
    auto check = promtool(scrape(p.address));
    INFO(p.name);
    CHECK(check.status == 0);
    CHECK(check.output == "");
  }
  auto front = scrape(gateway);
  check_counts(histogram_in(front, request_durations, R"(method="GET",route="/api/products/{id}")"), 6);
  check_counts(histogram_in(front, "splitbench_peer_request_duration_seconds", R"(peer="catalog")"), 6);  // one call each
  check_counts(histogram_in(front, "splitbench_peer_request_duration_seconds", R"(peer="pricing")"), 0);
  auto catalog = scrape(s.address_of("catalog"));
  check_counts(histogram_in(catalog, request_durations, R"(method="GET",route="/internal/products/{id}")"), 6);
  CHECK(catalog.find("splitbench_peer_request_duration_seconds") == std::string::npos);  // a leaf calls no one
}

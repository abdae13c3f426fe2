#include "bench/driver/load.hpp"
#include "bench/driver/output.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace splitbench::bench;
using namespace std::chrono;

namespace {
request_mix one(std::string const& path) {
  request_mix m;
  m.routes.push_back({path, 1, {make_request("GET", path, "127.0.0.1")}, false});
  return m;
}
load_options options_for(std::uint16_t port) {
  load_options o;
  o.port = port;
  o.warmup = milliseconds(200);
  o.duration = seconds(2);
  o.timeout = milliseconds(500);
  return o;
}
}  // namespace

TEST_CASE("open loop sends the rate asked for and counts every response") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 2'000;
  o.connections = 4;
  o.threads = 2;
  auto r = run_load(o, one("/ok"));
  CHECK(r.open_loop);
  CHECK(r.measured_seconds == Approx(2.0));
  // Exactly the requests due in the window: 2 s x 2000/s.
  CHECK(r.all.responses == 4'000);
  CHECK(r.requests == 4'000);
  CHECK(r.throughput_rps() == Approx(2'000).epsilon(0.001));
  CHECK(r.errors.total() == 0);
  CHECK(r.unsent == 0);
  CHECK(r.all.status_classes[2] == 4'000);
  REQUIRE(r.per_second.size() == 2);
  CHECK(r.per_second[0].responses + r.per_second[1].responses >= 3'990);
  for (auto const& second : r.per_second) {
    CHECK(second.p50_ns > 0);
    CHECK(second.p50_ns <= second.p99_ns);
  }
  CHECK(r.all.response_time.count() == 4'000);
  CHECK(r.all.service_time.value_at_percentile(50) <= r.all.response_time.value_at_percentile(50));
}

TEST_CASE("a server that freezes: corrected and uncorrected latency part as theory predicts") {
  // The server stops for 100 ms in every 500 ms. Requests are due uniformly, so 20% of them fall
  // due during a pause and wait out its rest: corrected latency is uniform on (0, 100 ms) for
  // them, which puts p90 near 50 ms and p99 near 95 ms. Service time only sees the few requests
  // already in flight when a pause starts: 2 connections, so about 2 in every 500.
  testing::test_server server(milliseconds(500), milliseconds(100));
  auto o = options_for(server.port());
  o.rate = 1'000;
  o.connections = 2;
  o.duration = seconds(3);
  auto r = run_load(o, one("/ok"));
  auto ms = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e6; };
  auto const& corrected = r.all.response_time;
  auto const& service = r.all.service_time;
  INFO("corrected p50/p90/p99 " << ms(corrected.value_at_percentile(50)) << " " << ms(corrected.value_at_percentile(90))
                                << " " << ms(corrected.value_at_percentile(99)) << "; service p99 "
                                << ms(service.value_at_percentile(99)));
  CHECK(r.all.responses == 3'000);
  CHECK(ms(corrected.value_at_percentile(50)) < 5);
  CHECK(ms(corrected.value_at_percentile(90)) == Approx(50).margin(12));
  CHECK(ms(corrected.value_at_percentile(99)) == Approx(95).margin(8));
  CHECK(ms(service.value_at_percentile(99)) < 10);
  CHECK(ms(service.max()) > 60);  // the requests caught in flight do see the pause
}

TEST_CASE("closed loop runs as fast as the connections allow") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.connections = 4;
  o.duration = seconds(1);
  auto r = run_load(o, one("/ok"));
  CHECK_FALSE(r.open_loop);
  CHECK(r.all.responses > 1'000);
  CHECK(r.all.response_time.count() == r.all.service_time.count());
  CHECK(r.errors.total() == 0);
}

TEST_CASE("errors are counted by kind and never stop the run") {
  testing::test_server server;
  SECTION("status") {
    request_mix mix = one("/ok");
    mix.routes.push_back({"/fail", 1, {make_request("GET", "/fail", "127.0.0.1")}, false});
    auto o = options_for(server.port());
    o.rate = 1'000;
    o.connections = 2;
    o.duration = seconds(1);
    auto r = run_load(o, mix);
    CHECK(r.requests == 1'000);
    CHECK(r.all.responses + r.errors.status == 1'000);  // responses are the good ones; a 500 is an error
    CHECK(r.routes[1].responses == 0);
    CHECK(r.routes[1].errors.status > 400);
    CHECK(r.routes[0].errors.status == 0);
    CHECK(r.errors.status == r.routes[1].errors.status);
    CHECK(r.all.response_time.count() == 1'000);  // errors are in the tail too
    CHECK(r.all.good_response_time.count() == r.all.responses);
  }
  SECTION("timeout") {
    auto o = options_for(server.port());
    o.rate = 20;
    o.connections = 2;
    o.duration = seconds(1);
    o.timeout = milliseconds(100);
    auto r = run_load(o, one("/hang"));
    CHECK(r.all.responses == 0);
    CHECK(r.errors.timeout >= 5);
  }
  SECTION("timeout + unsent == due: a server that never answers") {
    auto o = options_for(server.port());
    o.rate = 40;
    o.connections = 4;
    o.duration = seconds(1);
    o.warmup = milliseconds(200);
    o.timeout = milliseconds(150);
    auto r = run_load(o, one("/hang"));
    CHECK(r.requests == 40);
    CHECK(r.errors.timeout + r.unsent == r.requests);
    CHECK(r.all.response_time.count() == r.requests);  // every one of them in the tail
    CHECK(r.all.response_time.min() >= 150'000'000);   // none faster than its timeout
    CHECK(r.throughput_rps() == 0);
  }
  SECTION("connect, retried with back-off") {
    std::uint16_t closed_port = 0;
    {
      testing::test_server gone;
      closed_port = gone.port();
    }
    auto o = options_for(closed_port);
    o.rate = 100;
    o.connections = 2;
    o.duration = milliseconds(1'000);
    auto r = run_load(o, one("/ok"));
    CHECK(r.all.responses == 0);
    CHECK(r.errors.connect >= 2);
    CHECK(r.errors.connect < 100);  // backed off, not hammered
    CHECK(r.unsent == 100);
    CHECK(r.all.response_time.count() == 100);
  }
}

TEST_CASE("throughput is completions: a server of capacity C driven at 3C reports C") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 750;  // three times what 4 ms a request allows
  o.connections = 8;
  o.duration = seconds(2);
  o.warmup = milliseconds(500);
  o.timeout = seconds(5);
  auto r = run_load(o, one("/slow"));
  // About 1 / 4 ms; less for the server's own overhead. Counting requests due (3C) or only
  // responses to requests due in the window (C/3 once the queue has grown) would both miss it.
  INFO("throughput " << r.throughput_rps() << ", requests " << r.requests << ", unsent " << r.unsent);
  CHECK(r.throughput_rps() > 250 * 0.85);
  CHECK(r.throughput_rps() < 250 * 1.15);
  CHECK(r.requests == 1'500);  // due in the window
  CHECK(r.all.response_time.count() == r.requests);  // answered, failed or unsent: every one in the tail
  CHECK(r.all.response_time.value_at_percentile(99) > 500'000'000);  // the queue grows for the whole window
  CHECK(r.connections_busy > 0.8);
  CHECK(r.hiccups.count() > 1'000);  // a 1 ms meter through a 2 s window
}

TEST_CASE("a run cancelled midway keeps what it measured and accounts for every request due before the cut") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 400;
  o.connections = 4;
  o.duration = seconds(10);
  o.warmup = milliseconds(200);
  std::atomic<bool> cancel{false};
  o.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(1'200));
    cancel = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto r = run_load(o, one("/ok"));
  canceller.join();
  CHECK(r.cancelled);
  CHECK(std::chrono::steady_clock::now() - started < seconds(5));
  CHECK(r.measured_seconds > 0.5);
  CHECK(r.measured_seconds < 2);
  CHECK(r.requests == Approx(400 * r.measured_seconds).margin(8));  // due up to the cut, no more
  CHECK(r.all.response_time.count() == r.requests);
  CHECK(r.throughput_rps() == Approx(400).epsilon(0.1));
}

TEST_CASE("overload at the end of the window: requests due just before the end are still accounted") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 1'000;
  o.connections = 2;
  o.duration = milliseconds(500);
  o.warmup = milliseconds(100);
  o.timeout = milliseconds(200);  // a slow server cannot drain its queue before the hard deadline
  auto r = run_load(o, one("/slow"));
  CHECK(r.requests == 500);
  CHECK(r.all.response_time.count() == 500);
  CHECK(r.unsent + r.errors.timeout + r.all.responses == 500);
  CHECK(r.unsent > 0);  // most of the window's requests were never sent, and say so
  CHECK(r.throughput_rps() < 300);
}

TEST_CASE("settings that cannot work are refused") {
  load_options o;
  o.connections = 1;
  o.threads = 2;
  CHECK_THROWS_AS(validate(o), std::invalid_argument);
  o.threads = 1;
  o.rate = 0.5;
  o.connections = 10;
  o.duration = seconds(1);
  CHECK_THROWS_AS(validate(o), std::invalid_argument);  // under one request per connection
  o.rate = -1;
  CHECK_THROWS_AS(validate(o), std::invalid_argument);
}

TEST_CASE("the JSON document has the documented fields") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 500;
  o.connections = 1;
  o.duration = seconds(1);
  auto r = run_load(o, one("/ok"));
  auto j = to_json(r, "http://127.0.0.1/ok");
  CHECK(j.at("schema").as_string() == load_schema);
  CHECK(j.at("throughput_rps").is_double());
  CHECK(j.at("requests").as_uint64() == 500);
  CHECK(j.at("errors").as_uint64() == 0);
  for (auto key : {"min", "mean", "p50", "p90", "p99", "p999", "max"}) {
    CHECK(j.at("latency_us").as_object().contains(key));
    CHECK(j.at("service_time_us").as_object().contains(key));
  }
  REQUIRE(j.at("per_second").as_array().size() == 1);
  for (auto key : {"second", "responses", "errors", "p50_us", "p99_us"})
    CHECK(j.at("per_second").as_array()[0].as_object().contains(key));
  CHECK(histogram::decode(j.at("histogram").as_string()).count() == 500);
}

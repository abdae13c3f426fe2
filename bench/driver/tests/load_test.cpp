#include "bench/driver/load.hpp"
#include "bench/driver/output.hpp"
#include "bench/driver/hdr_codec.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
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
double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

/// The outcomes of the window's requests add up to them, and each is in the latency histogram.
void check_every_request_accounted(load_result const& r) {
  auto const& e = r.all.errors;
  INFO("requests " << r.requests << " responses " << r.all.responses << " read " << e.read << " write " << e.write << " timeout "
                   << e.timeout << " parse " << e.parse << " unsent " << r.unsent << " in flight " << r.in_flight_at_end);
  CHECK(r.all.responses + e.refused + e.read + e.write + e.timeout + e.parse + r.unsent + r.in_flight_at_end == r.requests);
  CHECK(r.all.response_time.count() == r.requests);
  std::uint64_t by_route = 0;
  for (auto const& route : r.routes) by_route += route.response_time.count();
  CHECK(by_route == r.requests);
}

/// The server's own count of responses over the measured window, per second: what it really did.
struct server_throughput {
  testing::test_server const& server;
  std::uint64_t at_start = 0, at_end = 0;
  void hook(load_options& o) {
    o.at_measure_start = [this] { at_start = server.answered(); };
    o.at_measure_end = [this] { at_end = server.answered(); };
  }
  double rps(load_result const& r) const { return static_cast<double>(at_end - at_start) / r.measured_seconds; }
};

/// How many of the run's requests (threads = 1: k = 0, 1, ...) are due in the window and go to `route`.
std::uint64_t due_in_window(load_options const& o, request_mix const& mix, std::size_t route) {
  request_picker picker(mix, o.seed);
  auto first = static_cast<std::uint64_t>(*o.rate * duration<double>(o.warmup).count());
  auto last = static_cast<std::uint64_t>(*o.rate * duration<double>(o.warmup + o.duration).count());
  std::uint64_t n = 0;
  for (auto k = first; k < last; ++k) n += picker.route_of(k) == route;
  return n;
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
  check_every_request_accounted(r);
  CHECK(r.all.good_response_time.count() == 4'000);
  // Completions inside the window: the same, but for a response or two on either edge.
  CHECK(r.throughput_rps() == Approx(2'000).epsilon(0.005));
  CHECK(r.error_rps() == 0);
  CHECK(r.all.errors.total() == 0);
  CHECK(r.unsent == 0);
  CHECK(r.in_flight_at_end == 0);
  CHECK(r.all.status_classes[2] == 4'000);
  CHECK(r.queue_wait.count() == 4'000);
  CHECK(r.send_lag.count() == 4'000);
  CHECK(r.connections_busy < 0.5);
  REQUIRE(r.per_second.size() == 2);
  CHECK(r.per_second[0].responses + r.per_second[1].responses >= 3'990);
  for (auto const& second : r.per_second) {
    CHECK(second.p50_ns > 0);
    CHECK(second.p50_ns <= second.p99_ns);
  }
  CHECK(r.all.service_time.value_at_percentile(50) <= r.all.response_time.value_at_percentile(50));
}

TEST_CASE("a server that freezes: corrected and uncorrected latency part as theory predicts") {
  // The server stops for 100 ms in every 500 ms. Requests are due uniformly, so 20% of them fall
  // due during a pause and wait out its rest: corrected latency is uniform on (0, 100 ms) for
  // them, which puts p90 near 50 ms and p99 near 95 ms. Service time only sees the few requests
  // already in flight when a pause starts: 2 connections, so about 2 in every 500.
  testing::test_server server({.period = milliseconds(500), .freeze = milliseconds(100)});
  auto o = options_for(server.port());
  o.rate = 1'000;
  o.connections = 2;
  o.duration = seconds(3);
  auto r = run_load(o, one("/ok"));
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
  // The requests due during a pause wait for a connection, not for the driver.
  CHECK(ms(r.queue_wait.value_at_percentile(99)) > 50);
  CHECK(ms(r.send_lag.value_at_percentile(50)) < 1);
}

TEST_CASE("throughput is completions: a server of capacity C driven at 3C reports C") {
  // The server's one thread sleeps 4 ms per request: it answers about 250 per second at most.
  testing::test_server server({.slow = milliseconds(4)});
  server_throughput served{server};
  auto o = options_for(server.port());
  o.rate = 750;
  o.connections = 4;
  o.duration = seconds(1);
  served.hook(o);
  auto r = run_load(o, one("/slow"));
  INFO("driver " << r.throughput_rps() << " req/s, server " << served.rps(r) << " req/s; queue wait p50 "
                 << ms(r.queue_wait.value_at_percentile(50)) << " ms, send lag p50 " << ms(r.send_lag.value_at_percentile(50))
                 << " ms; busy " << r.connections_busy);
  REQUIRE(served.rps(r) > 100);
  REQUIRE(served.rps(r) < 300);
  CHECK(r.throughput_rps() == Approx(served.rps(r)).epsilon(0.15));  // neither 3C nor C/3
  CHECK(r.requests == 750);  // what was due, beside it
  check_every_request_accounted(r);
  CHECK(r.unsent > 0);
  CHECK(r.late + r.unsent > 700);  // nearly all of them waited, or never went
  // Queueing is not lateness: requests waited for a connection, not for the driver.
  CHECK(ms(r.queue_wait.value_at_percentile(50)) > 50);
  CHECK(ms(r.send_lag.value_at_percentile(50)) < 1);
  CHECK(r.connections_busy > 0.8);
  auto warnings = warnings_of(r);
  CHECK(std::any_of(warnings.begin(), warnings.end(), [](auto& w) { return w.find("more connections are needed") != std::string::npos; }));
}

TEST_CASE("a server that never answers: every request due is a timeout or unsent, each in the tail") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 50;
  o.connections = 2;
  o.warmup = milliseconds(100);
  o.duration = seconds(1);
  o.timeout = milliseconds(100);
  auto r = run_load(o, one("/hang"));
  CHECK(r.requests == 50);
  CHECK(r.all.responses == 0);
  CHECK(r.all.errors.timeout + r.unsent == r.requests);
  CHECK(r.all.errors.timeout > 10);  // two connections carry ten a second each
  CHECK(r.unsent > 0);
  CHECK(r.in_flight_at_end == 0);
  check_every_request_accounted(r);
  CHECK(ms(r.all.response_time.min()) >= 100);  // a timeout counts from the due time, up to send + timeout
  CHECK(r.all.good_response_time.count() == 0);
  CHECK(r.throughput_rps() == 0);
  CHECK(r.error_rps() > 10);
}

TEST_CASE("failures are in the tail: 5% of requests never answered put p99 at the timeout") {
  testing::test_server server;
  request_mix mix = one("/ok");
  mix.routes[0].weight = 95;
  mix.routes.push_back({"/hang", 5, {make_request("GET", "/hang", "127.0.0.1")}, false});
  auto o = options_for(server.port());
  o.rate = 400;
  o.connections = 16;
  o.timeout = milliseconds(200);
  auto r = run_load(o, mix);
  auto hangs = due_in_window(o, mix, 1);
  INFO("p99 " << ms(r.all.response_time.value_at_percentile(99)) << " ms; good p99 " << ms(r.all.good_response_time.value_at_percentile(99)));
  CHECK(r.requests == 800);
  CHECK(hangs > 20);
  CHECK(r.all.errors.timeout == hangs);
  CHECK(r.routes[1].errors.timeout == hangs);
  CHECK(r.unsent == 0);
  check_every_request_accounted(r);
  CHECK(ms(r.all.response_time.value_at_percentile(99)) >= 200);
  CHECK(ms(r.all.good_response_time.value_at_percentile(99)) < 50);
  CHECK(r.all.good_response_time.count() == r.routes[0].responses);
}

TEST_CASE("a reset is a read error, in the tail when it happened") {
  testing::test_server server;
  request_mix mix = one("/ok");
  mix.routes[0].weight = 9;
  mix.routes.push_back({"/reset", 1, {make_request("GET", "/reset", "127.0.0.1")}, false});
  auto o = options_for(server.port());
  o.rate = 200;
  o.connections = 4;
  o.duration = seconds(1);
  auto r = run_load(o, mix);
  auto resets = due_in_window(o, mix, 1);
  CHECK(resets > 5);
  CHECK(r.routes[1].errors.read == resets);
  CHECK(r.routes[1].response_time.count() == resets);
  CHECK(ms(r.routes[1].response_time.max()) < 100);  // when it reset, not at a timeout
  CHECK(r.all.responses == r.requests - resets);
  check_every_request_accounted(r);
}

TEST_CASE("overload at the end of the window: requests due then are accounted, their answers after it are not throughput") {
  // The server freezes for 400 ms from 800 ms into the 1 s window: the requests due in its last
  // 200 ms are answered after the window ends.
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 500;
  o.connections = 4;
  o.duration = seconds(1);
  o.timeout = seconds(1);
  o.at_measure_start = [&] { server.freeze_once(milliseconds(800), milliseconds(400)); };
  auto r = run_load(o, one("/ok"));
  INFO("throughput " << r.throughput_rps() << " max " << ms(r.all.response_time.max()) << " ms");
  CHECK(r.requests == 500);
  CHECK(r.all.responses == 500);
  CHECK(r.unsent == 0);
  check_every_request_accounted(r);
  CHECK(ms(r.all.response_time.max()) > 300);
  CHECK(r.throughput_rps() > 350);
  CHECK(r.throughput_rps() < 450);
}

TEST_CASE("cancel: what was measured is kept and the rest is counted honestly") {
  testing::test_server server({.slow = milliseconds(4)});
  server_throughput served{server};
  std::atomic<bool> cancel{false};
  std::thread canceller;
  auto o = options_for(server.port());
  o.rate = 750;
  o.connections = 4;
  o.duration = seconds(5);
  o.timeout = seconds(2);
  o.cancel = &cancel;
  served.hook(o);
  o.at_measure_start = [&] {
    served.at_start = server.answered();
    canceller = std::thread([&] {
      std::this_thread::sleep_for(milliseconds(500));
      cancel = true;
    });
  };
  auto started = steady_clock::now();
  auto r = run_load(o, one("/slow"));
  auto took = steady_clock::now() - started;
  canceller.join();
  INFO("measured " << r.measured_seconds << " s, requests " << r.requests << ", unsent " << r.unsent << ", in flight " << r.in_flight_at_end);
  CHECK(r.cancelled);
  CHECK(r.measured_seconds > 0.45);
  CHECK(r.measured_seconds < 2);
  CHECK(took < seconds(4));  // not the 5 s asked for, nor the timeouts after them
  // The window's requests are those due before the cancel: 750 a second of it.
  CHECK(static_cast<double>(r.requests) == Approx(750 * r.measured_seconds).margin(2));
  check_every_request_accounted(r);
  CHECK(r.unsent + r.in_flight_at_end > 0);
  CHECK(r.throughput_rps() == Approx(served.rps(r)).epsilon(0.15));
  CHECK(r.per_second.size() == static_cast<std::size_t>(r.measured_seconds));
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
  check_every_request_accounted(r);
  CHECK(r.throughput_rps() == Approx(static_cast<double>(r.requests) / r.measured_seconds).epsilon(0.05));
  CHECK(r.unsent == 0);
  CHECK(r.queue_wait.count() == 0);
  CHECK(r.all.errors.total() == 0);
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
    CHECK(r.all.responses == 1'000);
    CHECK(r.routes[1].errors.status == r.routes[1].responses);
    CHECK(r.routes[1].responses > 400);
    CHECK(r.routes[0].errors.status == 0);
    CHECK(r.all.errors.status == r.routes[1].responses);
    // 5xx are errors, not good latency, and not throughput.
    CHECK(r.all.good_response_time.count() == r.routes[0].responses);
    CHECK(r.routes[1].good_response_time.count() == 0);
    CHECK(r.throughput_rps() + r.error_rps() == Approx(1'000).epsilon(0.01));
    CHECK(r.error_rps() == Approx(static_cast<double>(r.routes[1].responses)).epsilon(0.02));
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
    CHECK(r.all.errors.connect >= 2);
    CHECK(r.all.errors.connect < 100);  // backed off, not hammered
    // Every request due while nothing could be reached failed at once, as its user's connect would.
    CHECK(r.all.errors.total() == r.all.errors.connect + r.all.errors.refused);
    CHECK(r.all.errors.refused == 100);
    CHECK(r.unsent == 0);
    CHECK(r.all.response_time.max() < 50'000'000);  // failed at once, not after a wait
    check_every_request_accounted(r);
  }
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
  CHECK(decode_histogram(j.at("histogram").as_string()).count() == 500);
  for (auto key : {"error_rps", "unsent", "late", "in_flight_at_end", "errors_by_kind", "good_latency_us", "send_lag_us",
                   "queue_wait_us", "connections_busy", "hiccups_us"})
    CHECK(j.contains(key));
  CHECK(j.at("hiccups_us").at("count").as_uint64() > 0);  // the meter ran over the window
}

TEST_CASE("intervals: each route's window in slices by due time, every request in exactly one") {
  testing::test_server server;
  request_mix mix = one("/ok");
  mix.routes.push_back({"/fail", 1, {make_request("GET", "/fail", "127.0.0.1")}, false});
  auto o = options_for(server.port());
  o.rate = 1'000;
  o.connections = 2;
  o.duration = milliseconds(1'000);
  o.interval = milliseconds(250);
  auto r = run_load(o, mix);
  std::uint64_t due = 0;
  for (std::size_t k = 0; k < 2; ++k) {
    auto const& route = r.routes[k];
    REQUIRE(route.intervals.size() == 4);
    std::uint64_t in_route = 0;
    for (auto const& slice : route.intervals) {
      in_route += slice.due;
      CHECK(slice.response_time.count() == slice.due);
      CHECK(slice.good + slice.client_errors + slice.server_errors + slice.timeouts + slice.connection_errors + slice.unanswered == slice.due);
      // About a quarter of the route's requests fall due in each slice.
      CHECK(static_cast<double>(slice.due) == Approx(static_cast<double>(route.response_time.count()) / 4).epsilon(0.2));
      if (k == 0) CHECK(slice.good == slice.due);
      else CHECK(slice.server_errors == slice.due);
    }
    CHECK(in_route == route.response_time.count());
    due += in_route;
  }
  CHECK(due == r.requests);
  o.interval = milliseconds(0);
  CHECK_THROWS_WITH(run_load(o, mix), "an interval must be above 0");
}

TEST_CASE("the interval log holds every outcome of each second of the window, per route") {
  testing::test_server server;
  auto o = options_for(server.port());
  o.rate = 400;
  o.threads = 2;
  o.connections = 4;
  o.duration = seconds(2);
  o.interval_log = true;
  request_mix mix;
  for (auto path : {"/a", "/b"})
    mix.routes.push_back({path, 1, {make_request("GET", path, "127.0.0.1")}, false});
  auto r = run_load(o, mix);
  REQUIRE(r.per_second.size() == 2);
  REQUIRE(r.interval_log.size() == 4);  // 2 seconds x 2 routes, after both workers' are added up
  for (std::int64_t s = 0; s < 2; ++s) {
    std::uint64_t in_second = 0;
    for (auto const& i : r.interval_log) {
      if (i.second != s) continue;
      auto h = decode_v2(i.encoded);
      CHECK(h.count() > 0);
      in_second += h.count();
    }
    CHECK(in_second == r.per_second[static_cast<std::size_t>(s)].response_time.count());
  }
}

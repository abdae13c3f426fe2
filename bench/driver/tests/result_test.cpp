#include "bench/driver/result.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;

TEST_CASE("error_counts: total() counts every kind, failed connects included") {
  error_counts e;
  for (auto kind : {failure::connect, failure::read, failure::write, failure::timeout, failure::parse}) e.count(kind);
  e.status = 2;
  CHECK(e.connect == 1);
  CHECK(e.total() == 7);
  e.count(failure::unsent);  // counted by load_result, not here
  e.count(failure::in_flight);
  CHECK(e.total() == 7);
  error_counts sum;
  sum.merge(e);
  sum.merge(e);
  CHECK(sum.total() == 14);
  CHECK(sum.connect == 2);
}

namespace {
route_result route(std::string name, std::uint64_t value, std::uint64_t n) {
  route_result r{std::move(name)};
  for (std::uint64_t i = 0; i < n; ++i) {
    r.response_time.record(value);
    r.service_time.record(value / 2);
  }
  r.responses = n;
  r.errors.status = 1;
  r.status_classes[2] = n - 1;
  r.status_classes[5] = 1;
  return r;
}
}  // namespace

TEST_CASE("route_result::merge adds every count and merges every histogram") {
  auto a = route("/a", 1'000, 10);
  auto b = route("/a", 5'000, 30);
  a.merge(b);
  CHECK(a.name == "/a");
  CHECK(a.responses == 40);
  CHECK(a.response_time.count() == 40);
  CHECK(a.response_time.min() == 1'000);
  CHECK(a.response_time.max() == 5'000);
  CHECK(a.service_time.count() == 40);
  CHECK(a.errors.status == 2);
  CHECK(a.status_classes[2] == 38);
  CHECK(a.status_classes[5] == 2);
  route_result empty;
  empty.merge(b);
  CHECK(empty.name == "/a");  // an empty result takes the other's name
}

TEST_CASE("load_result::merge combines the parts of one run") {
  load_result one, two;
  for (auto* part : {&one, &two}) {
    part->open_loop = true;
    part->target_rate = 500;
    part->measured_seconds = 2;
    part->threads = 1;
    part->connections = 3;
    part->routes = {route("/a", 1'000, 10), route("/b", 2'000, 5)};
    part->all.merge(part->routes[0]);
    part->all.merge(part->routes[1]);
    part->all.errors.count(failure::connect);
    part->requests = 15;
    part->unsent = 1;
  }
  two.cancelled = true;
  load_result r;
  r.merge(one);
  r.merge(two);
  CHECK(r.open_loop);
  CHECK(r.target_rate == 1'000);
  CHECK(r.measured_seconds == 2);
  CHECK(r.threads == 2);
  CHECK(r.connections == 6);
  CHECK(r.cancelled);
  REQUIRE(r.routes.size() == 2);
  CHECK(r.routes[0].name == "/a");
  CHECK(r.routes[0].responses == 20);
  CHECK(r.routes[1].responses == 10);
  CHECK(r.all.responses == 30);
  CHECK(r.all.errors.connect == 2);
  CHECK(r.all.errors.total() == 2 + 4);
  CHECK(r.requests == 30);
  CHECK(r.unsent == 2);
  load_result other_routes;
  other_routes.routes = {route("/a", 1, 1)};
  CHECK_THROWS_AS(r.merge(other_routes), std::invalid_argument);
}

TEST_CASE("a response's latency splits into its front door's parts and the framing around them") {
  timing_breakdown b;
  // 300 us seen by the driver, 20 us of it waiting for a connection; the front door reports 5 us
  // of queue, 40 of logic, 15 of codec and 100 of network among its 160.
  REQUIRE(b.record("queue;dur=0.005, logic;dur=0.040, codec;dur=0.015, net;dur=0.100, total;dur=0.160", 300'000, 20'000));
  CHECK(b.queue.max() == 25'000);
  CHECK(b.logic.max() == 40'000);
  CHECK(b.codec.max() == 15'000);
  CHECK(b.framing.max() == 220'000);  // 100 us inside the front door, 120 around it
  CHECK(b.latency.max() == 300'000);
  CHECK_FALSE(b.record("", 100'000, 0));
  CHECK_FALSE(b.record("logic;dur=x", 100'000, 0));
  CHECK(b.missing == 2);
  CHECK(b.latency.count() == 1);
  timing_breakdown other;
  other.record("logic;dur=0.001, total;dur=0.001", 50'000, 0);
  b.merge(other);
  CHECK(b.latency.count() == 2);
  CHECK(b.missing == 2);
}

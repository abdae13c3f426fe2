#include "net/server_timing.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::net;
using namespace std::chrono_literals;
using clock_type = request_timing::clock;

TEST_CASE("Server-Timing values are written in W3C syntax and read back") {
  timing_parts p{1'000, 12'300, 4'100, 85'000, 102'400};
  auto text = format_server_timing(p, {{"pricing", 71'200}});
  CHECK(text == "queue;dur=0.0010, logic;dur=0.0123, codec;dur=0.0041, net;dur=0.0850, total;dur=0.1024, call-pricing;dur=0.0712");
  CHECK(valid_server_timing(text));
  auto back = parse_server_timing(text);
  REQUIRE(back);
  CHECK(back->queue == 1'000);
  CHECK(back->logic == 12'300);
  CHECK(back->codec == 4'100);
  CHECK(back->net == 85'000);
  CHECK(back->total == 102'400);
}

TEST_CASE("Server-Timing syntax: parameters, quoted strings and what is not valid") {
  CHECK(valid_server_timing("miss"));
  CHECK(valid_server_timing("db;dur=53, app;dur=47.2"));
  CHECK(valid_server_timing(R"(cache;desc="Cache Read";dur=23.2)"));
  CHECK(valid_server_timing("total ; dur = 1.5 ,x"));
  CHECK_FALSE(valid_server_timing(""));
  CHECK_FALSE(valid_server_timing("a;dur"));
  CHECK_FALSE(valid_server_timing("a;=1"));
  CHECK_FALSE(valid_server_timing("a,,b"));
  CHECK_FALSE(valid_server_timing("a b"));
  CHECK_FALSE(valid_server_timing(R"(a;desc="open)"));
  // Parsing needs total; unknown metrics are skipped.
  CHECK_FALSE(parse_server_timing("logic;dur=1"));
  auto p = parse_server_timing(R"(x;desc="y", total;dur=2, logic;DUR=1.5)");
  REQUIRE(p);
  CHECK(p->total == 2'000'000);
  CHECK(p->logic == 1'500'000);
}

TEST_CASE("A hop without calls: queue then codec and logic make its total") {
  auto t0 = clock_type::time_point{};
  request_timing t(t0);
  t.handler_started(t0 + 3us);
  t.handler_started(t0 + 9us);  // only the first mark counts
  t.add_codec(5us);
  t.add_codec(2us);
  auto p = t.finish(t0 + 30us);
  CHECK(p.total == 30'000);
  CHECK(p.queue == 3'000);
  CHECK(p.codec == 7'000);
  CHECK(p.logic == 20'000);
  CHECK(p.net == 0);
  CHECK(p.sum() == p.total);
}

TEST_CASE("A fan-out is attributed to the call that finished last") {
  auto t0 = clock_type::time_point{};
  request_timing t(t0);
  t.handler_started(t0 + 1us);
  t.add_codec(2us);  // the request's decoding, before any call
  // Three calls sent one after the other; the second body takes 3 us to encode.
  auto a = t.call_sent(t0 + 4us);
  t.add_codec(3us);
  auto b = t.call_sent(t0 + 8us);
  auto c = t.call_sent(t0 + 9us);
  t.call_answered(a, t0 + 40us, "catalog", timing_parts{1'000, 10'000, 5'000, 0, 16'000});
  t.add_codec(4us);  // decoding a's answer: hidden under the wait for the others
  t.call_answered(c, t0 + 50us, "pricing", std::nullopt);  // an answer without timings: all network
  t.call_answered(b, t0 + 60us, "inventory", timing_parts{2'000, 22'000, 6'000, 0, 30'000});
  t.add_codec(5us);  // b's answer and the response
  auto p = t.finish(t0 + 70us);
  CHECK(p.total == 70'000);
  // b is critical: sent 4 us into the wait (3 us of it encoding), seen for 52 us, 30 us of them its callee's.
  CHECK(p.queue == 1'000 + 2'000);
  CHECK(p.codec == 2'000 + 5'000 + 3'000 + 6'000);
  CHECK(p.net == 1'000 + 22'000);
  CHECK(p.logic == (70'000 - 1'000 - 7'000 - 56'000) + 22'000);
  CHECK(p.sum() == p.total);
  REQUIRE(t.calls().size() == 3);
  CHECK(t.calls()[0].first == "catalog");
  CHECK(t.calls()[0].second == 36'000);
}

TEST_CASE("Calls in sequence each add their wait") {
  auto t0 = clock_type::time_point{};
  request_timing t(t0);
  auto a = t.call_sent(t0 + 10us);
  t.call_answered(a, t0 + 20us, "orders", timing_parts{0, 4'000, 1'000, 0, 5'000});
  auto b = t.call_sent(t0 + 25us);
  t.call_answered(b, t0 + 45us, "orders", timing_parts{0, 8'000, 2'000, 5'000, 15'000});
  auto p = t.finish(t0 + 50us);
  CHECK(p.net == 5'000 + 5'000 + 5'000);
  CHECK(p.codec == 3'000);
  CHECK(p.logic == 50'000 - 30'000 + 12'000);
  CHECK(p.sum() == p.total);
}

TEST_CASE("The current timing is set for a scope and restored after it") {
  CHECK(current_timing() == nullptr);
  auto outer = std::make_shared<request_timing>(clock_type::now());
  {
    timing_scope s(outer.get());
    CHECK(current_timing() == outer.get());
    auto inner = std::make_shared<request_timing>(clock_type::now());
    {
      timing_scope s2(inner.get());
      CHECK(current_timing() == inner.get());
      auto n = timed_codec([] { return 42; });
      CHECK(n == 42);
    }
    CHECK(current_timing() == outer.get());
  }
  CHECK(current_timing() == nullptr);
  CHECK(timed_codec([] { return 7; }) == 7);  // nothing current: just the call
}

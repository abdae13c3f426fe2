#include "bench/driver/output.hpp"
#include "bench/driver/hdr_codec.hpp"
#include "bench/driver/load_json.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>

using namespace splitbench::bench;

namespace {
/// An open-loop result made by hand: 1 s, 100 requests due, of which 90 answered (5 with a 500),
/// 4 timed out, 5 unsent and 1 in flight at the end; 2 failed connects.
load_result made_by_hand() {
  load_result r;
  r.open_loop = true;
  r.target_rate = 100;
  r.measured_seconds = 1;
  r.threads = 1;
  r.connections = 4;
  r.routes.emplace_back("/a");
  auto& a = r.routes[0];
  for (int i = 0; i < 85; ++i) {
    a.response_time.record(100'000);
    a.good_response_time.record(100'000);
    a.service_time.record(90'000);
  }
  for (int i = 0; i < 5; ++i) {
    a.response_time.record(50'000);
    a.service_time.record(50'000);
  }
  for (int i = 0; i < 10; ++i) a.response_time.record(500'000'000);
  a.responses = 90;
  a.status_classes[2] = 85;
  a.status_classes[5] = 5;
  a.errors.status = 5;
  a.errors.timeout = 4;
  a.good_in_window = 80;
  a.errors_in_window = 9;
  r.all.merge(a);
  r.all.name = "all";
  r.all.errors.connect = 2;
  r.all.errors_in_window += 2;
  r.requests = 100;
  r.unsent = 5;
  r.in_flight_at_end = 1;
  r.late = 7;
  for (int i = 0; i < 95; ++i) {
    r.queue_wait.record(1'000);
    r.send_lag.record(2'000);
  }
  for (int i = 0; i < 1'000; ++i) r.hiccups.record(20'000);
  r.connections_busy = 0.5;
  return r;
}

bool has_warning(load_result const& r, std::string const& part) {
  auto w = warnings_of(r);
  return std::any_of(w.begin(), w.end(), [&](auto const& x) { return x.find(part) != std::string::npos; });
}
}  // namespace

TEST_CASE("to_us: one rounding, to 0.01 us") {
  CHECK(to_us(1'234'567) == 1'234.57);
  CHECK(to_us(1'234'564) == 1'234.56);
  CHECK(to_us(0) == 0);
  CHECK(to_us(4) == 0);
  CHECK(to_us(5) == 0.01);
}

TEST_CASE("the JSON of a load: schema 3 with every figure of the run") {
  auto r = made_by_hand();
  auto j = to_json(r, "http://127.0.0.1/a");
  CHECK(j.at("schema").as_string() == "splitbench.load/3");
  CHECK(j.at("throughput_rps").as_double() == 80);
  CHECK(j.at("error_rps").as_double() == 11);
  CHECK(j.at("requests").as_uint64() == 100);
  CHECK(j.at("unsent").as_uint64() == 5);
  CHECK(j.at("late").as_uint64() == 7);
  CHECK(j.at("late_after_us").as_double() == 1'000);
  CHECK(j.at("in_flight_at_end").as_uint64() == 1);
  CHECK(j.at("errors").as_uint64() == 11);  // connect included
  CHECK(j.at("errors_by_kind").at("connect").as_uint64() == 2);
  CHECK(j.at("errors_by_kind").at("timeout").as_uint64() == 4);
  CHECK(j.at("latency_us").at("count").as_uint64() == 100);
  CHECK(j.at("latency_us").at("max").as_double() == Approx(500'000).epsilon(0.001));
  CHECK(j.at("good_latency_us").at("count").as_uint64() == 85);
  CHECK(j.at("good_latency_us").at("max").as_double() == Approx(100).epsilon(0.001));
  CHECK(j.at("service_time_us").at("count").as_uint64() == 90);
  CHECK(j.at("queue_wait_us").at("p99").as_double() == 1);
  CHECK(j.at("send_lag_us").at("p99").as_double() == 2);
  CHECK(j.at("connections_busy").as_double() == 0.5);
  for (auto key : {"p50", "p99", "max"}) CHECK(j.at("hiccups_us").at(key).as_double() == 20);
  CHECK(j.at("routes").at(0).at("good_latency_us").at("count").as_uint64() == 85);
  CHECK(decode_histogram(j.at("histogram").as_string()).count() == 100);
  CHECK(std::string(j.at("histogram").as_string()).starts_with("HISTFAAA"));
}

TEST_CASE("warnings: what a reader must know first") {
  auto r = made_by_hand();
  CHECK(has_warning(r, "80 good responses per second, 80% of the target 100"));
  CHECK(has_warning(r, "5 of 100 requests due in the window were never sent"));
  CHECK(has_warning(r, "1 requests were still unanswered"));
  CHECK(has_warning(r, "11 errors (connect 2, refused 0, read 0, write 0, timeout 4, status 5, parse 0)"));
  CHECK_FALSE(has_warning(r, "more connections are needed"));
  CHECK_FALSE(has_warning(r, "machine's, not the code's"));  // 20 us of hiccups against a 500 ms p99
  CHECK_FALSE(has_warning(r, "fell behind"));
  SECTION("connections mostly busy") {
    r.connections_busy = 0.85;
    CHECK(has_warning(r, "the connections carried requests 85% of the window"));
    CHECK(has_warning(r, "more connections are needed"));
  }
  SECTION("hiccups of the order of the p99") {
    histogram fast;
    for (int i = 0; i < 100; ++i) fast.record(60'000);
    r.all.response_time = fast;  // p99 60 us: 20 us of hiccups is a third of it
    CHECK(has_warning(r, "p99 here is the machine's, not the code's"));
    r.hiccups.reset();
    for (int i = 0; i < 100; ++i) r.hiccups.record(10'000);  // a sixth: no warning
    CHECK_FALSE(has_warning(r, "machine's, not the code's"));
  }
  SECTION("the driver itself late") {
    r.send_lag.reset();
    for (int i = 0; i < 100; ++i) r.send_lag.record(5'000'000);
    CHECK(has_warning(r, "fell behind its schedule"));
  }
}

TEST_CASE("the terminal text shows the same figures") {
  auto text = summary_text(made_by_hand(), "http://127.0.0.1/a");
  for (auto part : {"response time", "good only", "service time", "queue wait", "send lag", "hiccups",
                    "80.0 good responses/s completed in the window (target 100.0/s), 11.0 errors/s",
                    "100 requests due in the window: 90 answered, 4 failed, 5 unsent, 1 in flight at the end; 7 sent over 1000 us late",
                    "errors: 11 (connect 2", "connections: busy 50% of the window", "WARNING: "}) {
    INFO(part);
    CHECK(text.find(part) != std::string::npos);
  }
}

TEST_CASE("read_load_json reads back what to_json wrote, to the byte") {
  auto r = made_by_hand();
  r.per_second.resize(1);
  r.per_second[0].responses = 90;
  r.per_second[0].response_time.record(100'000);
  r.per_second[0].p50_ns = r.per_second[0].p99_ns = 100'000;
  r.start_unix_ns = 1'796'040'000'000'000'000;
  load_schedule s;
  s.url = "http://127.0.0.1/a";
  s.routes = {"/a"};
  s.rate = 200;
  s.start_unix_ns = r.start_unix_ns;
  s.start_given = true;
  s.duration = std::chrono::seconds(1);
  s.shards = 2;
  s.indices = {1};
  auto text = boost::json::serialize(to_json(r, s));
  auto back = read_load_json(boost::json::parse(text));
  CHECK(back.schedule.same_as(s));
  CHECK(back.schedule.indices == s.indices);
  CHECK(back.result.all.response_time.mean() == r.all.response_time.mean());
  CHECK(back.result.all.response_time.max() == r.all.response_time.max());
  CHECK(boost::json::serialize(to_json(back.result, back.schedule)) == text);
}

TEST_CASE("read_load_json refuses what is not a load JSON of this schema, in one line") {
  for (auto text : {R"([1,2])", R"({"schema":"splitbench.report/2"})", R"({"schema":"splitbench.load/2"})",
                    R"({"schema":"splitbench.load/3"})"}) {
    INFO(text);
    CHECK_THROWS_AS(read_load_json(boost::json::parse(text)), std::invalid_argument);
  }
  auto j = to_json(made_by_hand(), "http://127.0.0.1/a");
  j["latency_us"].as_object()["histogram"] = "HISTFAAAnonsense";
  CHECK_THROWS_WITH(read_load_json(j), Catch::Contains("latency_us"));
}

#include "net/latency_histogram.hpp"
#include "net/metrics_text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace splitbench::net;
using namespace std::chrono_literals;

TEST_CASE("a counter family: HELP, TYPE, then its sample") {
  metrics_text m;
  m.counter("splitbench_http_requests_total", "Requests received.", 52);
  CHECK(m.take() ==
        "# HELP splitbench_http_requests_total Requests received.\n"
        "# TYPE splitbench_http_requests_total counter\n"
        "splitbench_http_requests_total 52\n");
}

TEST_CASE("labelled samples, and values and HELP texts escaped as the format says") {
  metrics_text m;
  m.family("x_total", "counter", "a \\ and a\nnewline");
  m.sample("x_total", {{"class", "2xx"}, {"path", "a\"b\\c\nd"}}, std::uint64_t{3});
  m.gauge("x_open", "open now", 1.5);
  CHECK(m.take() ==
        "# HELP x_total a \\\\ and a\\nnewline\n"
        "# TYPE x_total counter\n"
        "x_total{class=\"2xx\",path=\"a\\\"b\\\\c\\nd\"} 3\n"
        "# HELP x_open open now\n"
        "# TYPE x_open gauge\n"
        "x_open 1.5\n");
}

TEST_CASE("a bucket's bound is inclusive, as Prometheus' le is") {
  CHECK(latency_histogram::bucket_of(0) == 0);
  CHECK(latency_histogram::bucket_of(25'000) == 0);  // 25 µs: le="2.5e-05"
  CHECK(latency_histogram::bucket_of(25'001) == 1);
  CHECK(latency_histogram::bucket_of(1'000'000) == 5);  // 1 ms: le="0.001"
  CHECK(latency_histogram::bucket_of(30'000'000'000) == latency_bounds_seconds.size() - 1);
  CHECK(latency_histogram::bucket_of(30'000'000'001) == latency_bounds_seconds.size());  // +Inf
}

TEST_CASE("a histogram series: cumulative buckets ending in +Inf, _sum in seconds, _count") {
  latency_histogram h;
  h.record(10us);   // le 2.5e-05
  h.record(25us);   // le 2.5e-05
  h.record(300us);  // le 0.0005
  h.record(2s);     // le 2.5
  h.record(60s);    // +Inf only
  auto s = h.snapshot();
  CHECK(s.count() == 5);
  CHECK(s.sum_ns == 62'000'335'000);

  metrics_text m;
  m.family("d_seconds", "histogram", "durations");
  m.histogram("d_seconds", {{"route", "/a/{id}"}}, s);
  auto text = m.take();
  std::string expected = "# HELP d_seconds durations\n# TYPE d_seconds histogram\n";
  std::uint64_t counts[] = {2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5};
  char const* les[] = {"2.5e-05", "5e-05", "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
                       "0.05",    "0.1",   "0.25",   "0.5",     "1",      "2.5",   "5",      "10",    "30",   "+Inf"};
  for (std::size_t i = 0; i < 20; ++i)
    expected += "d_seconds_bucket{route=\"/a/{id}\",le=\"" + std::string(les[i]) + "\"} " + std::to_string(counts[i]) + "\n";
  expected += "d_seconds_sum{route=\"/a/{id}\"} 62.000335\nd_seconds_count{route=\"/a/{id}\"} 5\n";
  CHECK(text == expected);
}

TEST_CASE("snapshots add bucket by bucket, as the threads' histograms are summed at scrape time") {
  latency_histogram a, b;
  a.record(1ms);
  b.record(1ms);
  b.record(5ms);
  auto s = a.snapshot();
  s += b.snapshot();
  CHECK(s.count() == 3);
  CHECK(s.buckets[5] == 2);  // le 0.001
  CHECK(s.buckets[7] == 1);  // le 0.005
  CHECK(s.sum_ns == 7'000'000);
}

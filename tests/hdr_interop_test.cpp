// splitbench's histograms against another implementation of HdrHistogram's V2 encoding:
// hdr-histogram-js reads what splitbench writes, and splitbench reads what hdr-histogram-js
// writes, from the same known values.

#include "hdr_check.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/hdr_codec.hpp"
#include "bench/driver/tests/test_server.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

/// Known values with repeats, over six orders of magnitude: (value, count).
std::vector<std::pair<std::uint64_t, std::uint64_t>> known_values(std::uint64_t seed) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> v;
  std::uint64_t x = seed;
  for (int i = 0; i < 3'000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    auto magnitude = (x >> 60) % 7;  // 1 ns .. 10 ms
    std::uint64_t value = 1 + (x >> 20) % 10;
    for (std::uint64_t m = 0; m < magnitude; ++m) value *= 10;
    v.emplace_back(value + (x >> 40) % 997, 1 + (x >> 8) % 3);
  }
  return v;
}

/// The width of the bucket `value` is in: how far two readings of one percentile may differ.
std::uint64_t bucket_width(bench::histogram const& h, std::uint64_t value) {
  return h.highest_equivalent(value) - h.lowest_equivalent(value) + 1;
}

void check_within_a_bucket(bench::histogram const& h, std::uint64_t ours, json::value const& theirs) {
  auto t = json::value_to<std::uint64_t>(theirs);
  auto diff = ours > t ? ours - t : t - ours;
  CHECK(diff <= bucket_width(h, ours));
}

}  // namespace

TEST_CASE("hdr-histogram-js decodes splitbench's V2 histograms: count, min, max and percentiles") {
  auto dir = bench::make_temp_dir("splitbench-hdr-interop");
  std::vector<bench::histogram> ours;
  for (int digits : {2, 3, 4}) {
    bench::histogram h(digits, 60'000'000'000ULL);
    for (auto [v, c] : known_values(static_cast<std::uint64_t>(digits))) h.record(v, c);
    ours.push_back(std::move(h));
  }
  ours.emplace_back(3);  // empty
  json::array encoded;
  for (auto const& h : ours) encoded.push_back(json::string(bench::encode_v2(h)));
  auto theirs = hdr_check_text(dir, "decode", json::serialize(encoded)).as_array();
  REQUIRE(theirs.size() == ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    auto const& h = ours[i];
    auto const& t = theirs[i].as_object();
    INFO("histogram " << i << ": " << json::serialize(t));
    CHECK(json::value_to<std::uint64_t>(t.at("count")) == h.count());
    CHECK(json::value_to<int>(t.at("digits")) == h.significant_digits());
    CHECK(json::value_to<std::uint64_t>(t.at("highest")) == h.highest());
    if (h.count() == 0) continue;
    check_within_a_bucket(h, h.min(), t.at("min"));
    check_within_a_bucket(h, h.max(), t.at("max"));
    check_within_a_bucket(h, h.value_at_percentile(50), t.at("p50"));
    check_within_a_bucket(h, h.value_at_percentile(99), t.at("p99"));
    check_within_a_bucket(h, h.value_at_percentile(99.9), t.at("p999"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("splitbench decodes what hdr-histogram-js wrote, bucket for bucket") {
  auto dir = bench::make_temp_dir("splitbench-hdr-interop");
  struct spec {
    std::optional<int> digits;
    std::optional<std::uint64_t> highest;
    std::uint64_t seed;
  };
  // Its defaults (3 digits, resizing as values come), and fixed shapes of 1 to 5 digits.
  std::vector<spec> specs{{{}, {}, 11}, {1, 3'600'000'000'000ULL, 12}, {2, 1'000'000'000ULL, 13},
                          {3, 60'000'000'000ULL, 14}, {5, 100'000'000ULL, 15}};
  json::array input;
  for (auto const& s : specs) {
    json::object o;
    if (s.digits) o["digits"] = *s.digits;
    if (s.highest) o["highest"] = *s.highest;
    json::array values;
    for (auto [v, c] : known_values(s.seed)) values.push_back(json::array{v, c});
    o["values"] = std::move(values);
    input.push_back(std::move(o));
  }
  auto written = hdr_check_text(dir, "encode", json::serialize(input)).as_array();
  REQUIRE(written.size() == specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto text = std::string(written[i].as_string());
    INFO("spec " << i << ": " << text);
    CHECK(text.starts_with("HISTFAAA"));
    auto decoded = bench::decode_v2(text);
    CHECK(decoded.significant_digits() == specs[i].digits.value_or(3));
    if (specs[i].highest) CHECK(decoded.highest() == *specs[i].highest);
    bench::histogram expected(decoded.significant_digits(), decoded.highest());
    for (auto [v, c] : known_values(specs[i].seed)) expected.record(v, c);
    REQUIRE(expected.saturated() == 0);
    REQUIRE(decoded.counts().size() == expected.counts().size());
    for (std::size_t b = 0; b < expected.counts().size(); ++b) REQUIRE(decoded.counts()[b] == expected.counts()[b]);
    CHECK(decoded.count() == expected.count());
    CHECK(decoded.min() == expected.lowest_equivalent(expected.min()));
    CHECK(decoded.max() == std::min(expected.highest(), expected.highest_equivalent(expected.max())));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("hdr-histogram-js's HistogramLogReader reads splitbench load --hlog: every interval's count") {
  bench::testing::test_server server;
  auto dir = bench::make_temp_dir("splitbench-hlog");
  auto r = run({bin("splitbench"), "load", "http://127.0.0.1:" + std::to_string(server.port()) + "/ok", "--rate", "300", "--duration",
                "2s", "--warmup", "200ms", "--connections", "4", "--hlog", dir + "/load.hlog", "--json", dir + "/load.json"});
  INFO(r.output);
  REQUIRE(r.status == 0);
  auto load = json::parse(bench::read_file(dir + "/load.json")).as_object();
  auto log = bench::read_file(dir + "/load.hlog");
  CHECK(log.find("#[Histogram log format version 1.3]") != std::string::npos);
  CHECK(log.find("response times in nanoseconds") != std::string::npos);
  auto intervals = hdr_check("log", dir + "/load.hlog").as_array();
  auto const& seconds = load.at("per_second").as_array();
  REQUIRE(seconds.size() == 2);
  REQUIRE(intervals.size() == 2);  // one route, two seconds
  auto window_start_ms = static_cast<double>(load.at("schedule").at("start_unix_ns").to_number<std::int64_t>() +
                                             load.at("schedule").at("warmup_ns").to_number<std::int64_t>()) / 1e6;
  for (std::size_t s = 0; s < 2; ++s) {
    auto const& i = intervals[s].as_object();
    INFO("interval " << s << ": " << json::serialize(i));
    CHECK(i.at("tag").as_string() == "/ok");
    // The server answers every request with a 200: each second's outcomes are its responses.
    CHECK(i.at("count").to_number<std::uint64_t>() == seconds[s].at("responses").to_number<std::uint64_t>());
    CHECK(i.at("start_ms").to_number<double>() == Approx(window_start_ms + 1'000.0 * static_cast<double>(s)).margin(1));
    CHECK(i.at("end_ms").to_number<double>() == Approx(window_start_ms + 1'000.0 * static_cast<double>(s + 1)).margin(1));
  }
  std::filesystem::remove_all(dir);
}

#include "bench/driver/hdr_codec.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace splitbench::bench;

namespace {

struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    auto z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

void check_same_counts(histogram const& a, histogram const& b) {
  REQUIRE(a.significant_digits() == b.significant_digits());
  REQUIRE(a.highest() == b.highest());
  REQUIRE(a.counts().size() == b.counts().size());
  for (std::size_t i = 0; i < a.counts().size(); ++i) REQUIRE(a.counts()[i] == b.counts()[i]);
  CHECK(a.count() == b.count());
}

}  // namespace

TEST_CASE("V2: every counter round-trips exactly, with its min and max") {
  splitmix64 rng{7};
  for (int digits : {1, 2, 3, 4, 5}) {
    histogram h(digits, digits == 5 ? 10'000'000'000ULL : histogram::one_hour_ns);
    for (int i = 0; i < 20'000; ++i) h.record(1 + rng.below(rng.below(3) == 0 ? 2'000'000'000 : 50'000), 1 + rng.below(3));
    h.record(0);  // HdrHistogram counts 0 in its first bucket, as this one does
    auto text = encode_v2(h);
    CHECK(text.starts_with("HISTFAAA"));
    auto back = decode_v2(text);
    check_same_counts(h, back);
    // Without totals, min and max are their buckets' bounds, as HdrHistogram gives them.
    CHECK(back.min() == h.lowest_equivalent(h.min()));
    CHECK(back.max() == h.highest_equivalent(h.max()));
    back.restore(h.exact_totals());
    CHECK(back.min() == h.min());
    CHECK(back.max() == h.max());
    CHECK(back.mean() == h.mean());
    CHECK(back.stddev() == h.stddev());
    for (double p : {0.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) CHECK(back.value_at_percentile(p) == h.value_at_percentile(p));
    CHECK(encode_v2(back) == text);
  }
}

TEST_CASE("V2: an empty histogram, a single value and the extremes of the range") {
  histogram empty;
  auto e = decode_v2(encode_v2(empty));
  check_same_counts(empty, e);
  CHECK(e.min() == 0);
  CHECK(e.max() == 0);

  histogram h(3, histogram::max_highest);
  h.record(histogram::max_highest);
  h.record(1);
  h.record(1'000, 5'000'000'000ULL);  // a count past 32 bits
  auto back = decode_v2(encode_v2(h));
  check_same_counts(h, back);
  back.restore(h.exact_totals());
  CHECK(back.max() == histogram::max_highest);
}

TEST_CASE("V2: saturation and the exact sum live in the totals beside the encoding") {
  histogram h(2, 1'000);
  h.record(7);
  h.record(5'000);
  auto back = decode_v2(encode_v2(h));
  CHECK(back.saturated() == 0);
  back.restore(h.exact_totals());
  CHECK(back.saturated() == 1);
  CHECK(back.mean() == h.mean());
}

TEST_CASE("restore refuses totals the counts contradict") {
  histogram h;
  h.record(1'000);
  h.record(2'000);
  auto back = decode_v2(encode_v2(h));
  auto t = h.exact_totals();
  auto bad = t;
  bad.min = 5;
  CHECK_THROWS_AS(back.restore(bad), std::invalid_argument);
  bad = t;
  bad.sum = 10;
  CHECK_THROWS_AS(back.restore(bad), std::invalid_argument);
  bad = t;
  bad.saturated = 3;
  CHECK_THROWS_AS(back.restore(bad), std::invalid_argument);
  CHECK_NOTHROW(back.restore(t));
}

TEST_CASE("decode_histogram reads both V2 and the older hist1 text") {
  histogram h;
  for (std::uint64_t v = 1; v < 100'000; v += 7) h.record(v);
  auto from_v2 = decode_histogram(encode_v2(h));
  auto from_hist1 = decode_histogram(h.encode());
  check_same_counts(h, from_v2);
  check_same_counts(h, from_hist1);
  CHECK(from_hist1.mean() == h.mean());
}

TEST_CASE("decode_v2 refuses what it cannot read, in a sentence, never a crash") {
  histogram h;
  h.record(12'345);
  auto good = encode_v2(h);
  auto says = [](std::string const& text, std::string const& part) {
    try {
      (void)decode_v2(text);
    } catch (std::invalid_argument const& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(part) != std::string::npos);
      return;
    }
    FAIL("decoded " << text);
  };
  says("", "base64");
  says("HISTFAA", "base64");
  says("HIST*AAA", "base64");
  says("AAAAAAAAAAAA", "cookie");
  says(good.substr(0, good.size() - 8), "");  // cut short
  says(good.substr(0, 16), "");
  for (std::size_t i = 12; i < good.size(); i += 5) {  // corrupted anywhere past the cookie
    auto bad = good;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    try {
      (void)decode_v2(bad);
    } catch (std::invalid_argument const&) {
    }
  }
}

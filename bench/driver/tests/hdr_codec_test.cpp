#include "bench/driver/hdr_codec.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstdint>
#include <optional>
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

namespace {

/// A V2 payload made by hand, deflated and wrapped as HdrHistogram writes it: what another
/// implementation, or a corrupted file, could hand the decoder.
struct payload {
  std::uint32_t cookie = 0x1c849313;
  std::int32_t offset = 0, digits = 3;
  std::uint64_t lowest = 1, highest = 3'600'000'000'000ULL, ratio = 0x3ff0000000000000ULL;
  std::vector<unsigned char> counts;
  std::optional<std::uint32_t> counts_length;  // none: the right one

  std::string encoded() const {
    std::vector<unsigned char> raw;
    auto put = [&](std::uint64_t v, int bytes) {
      for (int i = bytes - 1; i >= 0; --i) raw.push_back(static_cast<unsigned char>(v >> (8 * i)));
    };
    put(cookie, 4);
    put(counts_length.value_or(static_cast<std::uint32_t>(counts.size())), 4);
    put(static_cast<std::uint32_t>(offset), 4);
    put(static_cast<std::uint32_t>(digits), 4);
    put(lowest, 8);
    put(highest, 8);
    put(ratio, 8);
    raw.insert(raw.end(), counts.begin(), counts.end());
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::vector<unsigned char> deflated(size);
    REQUIRE(compress(deflated.data(), &size, raw.data(), static_cast<uLong>(raw.size())) == Z_OK);
    deflated.resize(size);
    std::vector<unsigned char> out;
    auto put_out = [&](std::uint64_t v, int bytes) {
      for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
    };
    put_out(0x1c849314, 4);
    put_out(deflated.size(), 4);
    out.insert(out.end(), deflated.begin(), deflated.end());
    static constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    for (std::size_t i = 0; i < out.size(); i += 3) {
      std::uint32_t n = std::uint32_t(out[i]) << 16 | (i + 1 < out.size() ? std::uint32_t(out[i + 1]) << 8 : 0) |
                        (i + 2 < out.size() ? out[i + 2] : 0);
      text += b64[n >> 18 & 63];
      text += b64[n >> 12 & 63];
      text += i + 1 < out.size() ? b64[n >> 6 & 63] : '=';
      text += i + 2 < out.size() ? b64[n & 63] : '=';
    }
    return text;
  }
};

std::string refusal(payload const& p) {
  try {
    (void)decode_v2(p.encoded());
  } catch (std::invalid_argument const& e) {
    return e.what();
  }
  return "decoded";
}

}  // namespace

TEST_CASE("decode_v2 reads payloads made by hand: zero runs, counts past 32 bits, either ratio") {
  payload p;
  // index 0: 0 (one zero, written as a count), 1..99: a run of 99 zeros, 100: 2^40, 101: 3
  p.counts = {0x00, 0xc5, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x06};
  auto h = decode_v2(p.encoded());
  CHECK(h.counts()[100] == (std::uint64_t(1) << 40));
  CHECK(h.counts()[101] == 3);
  CHECK(h.count() == (std::uint64_t(1) << 40) + 3);
  CHECK(h.min() == 100);
  CHECK(h.max() == 101);
  p.ratio = 1;  // as hdr-histogram-js writes it
  p.offset = 1;  // likewise, and unused
  CHECK(decode_v2(p.encoded()).count() == h.count());
}

TEST_CASE("decode_v2 refuses shapes splitbench's histogram cannot hold, saying which") {
  payload p;
  p.counts = {0x02};
  CHECK(refusal(p) == "decoded");
  auto bad = p;
  bad.lowest = 1000;
  CHECK_THAT(refusal(bad), Catch::Contains("lowest discernible value 1000"));
  bad = p;
  bad.digits = 0;
  CHECK_THAT(refusal(bad), Catch::Contains("0 significant digits"));
  bad.digits = 6;
  CHECK_THAT(refusal(bad), Catch::Contains("6 significant digits"));
  bad = p;
  bad.highest = 1;
  CHECK_THAT(refusal(bad), Catch::Contains("highest trackable value 1"));
  bad.highest = std::uint64_t(1) << 63;
  CHECK_THAT(refusal(bad), Catch::Contains("highest trackable value"));
  bad = p;
  bad.ratio = 0x4000000000000000ULL;  // 2.0: a DoubleHistogram's
  CHECK_THAT(refusal(bad), Catch::Contains("DoubleHistogram"));
  bad = p;
  bad.cookie = 0x1c849301;
  CHECK_THAT(refusal(bad), Catch::Contains("not V2"));
}

TEST_CASE("decode_v2 refuses corrupt counts: cut short, past the last bucket, lengths that disagree") {
  payload p;
  p.counts = {0x80};  // a count whose next byte never comes
  CHECK_THAT(refusal(p), Catch::Contains("cut short"));
  p.counts = {0x02};
  p.counts_length = 5;
  CHECK_THAT(refusal(p), Catch::Contains("length"));
  p.counts_length.reset();
  p.highest = 1'000;  // 3 digits to 1000: 2048 counters
  p.counts = {0xff, 0x1f, 0x02};  // a run of 2048 zeros, then a count
  CHECK_THAT(refusal(p), Catch::Contains("past the largest bucket"));
  p.counts = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};  // the longest run there is
  CHECK_THAT(refusal(p), Catch::Contains("past the largest bucket"));
  p.counts = {0xfd, 0x0f, 0x02};  // a run of 1023 zeros, then a count for 1023, above the highest 1000
  CHECK_THAT(refusal(p), Catch::Contains("above the highest trackable value"));
}

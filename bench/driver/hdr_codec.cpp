#include "bench/driver/hdr_codec.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <bit>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace splitbench::bench {
namespace {

constexpr std::uint32_t v2_cookie = 0x1c849303 | 0x10;
constexpr std::uint32_t v2_compressed_cookie = 0x1c849304 | 0x10;
/// The cookie without its word-size bits, as HdrHistogram compares them.
constexpr std::uint32_t cookie_base(std::uint32_t cookie) noexcept { return cookie & ~0xf0u; }
constexpr std::size_t header_bytes = 40;
/// More than the largest shape accepted needs (5 digits to 2^62: 6 M counters of 9 bytes).
constexpr std::size_t max_inflated = std::size_t(64) << 20;
constexpr std::uint64_t one_as_double = 0x3ff0000000000000ULL;

[[noreturn]] void refuse(std::string const& why) { throw std::invalid_argument("not an HdrHistogram V2 encoding: " + why); }

// ---- bytes ----

void put_be(std::vector<unsigned char>& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

std::uint64_t get_be(unsigned char const* p, int bytes) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

/// ZigZag, then LEB128 of at most 9 bytes: 7 bits in each of the first 8, all 8 in the ninth.
void put_zigzag(std::vector<unsigned char>& out, std::int64_t value) {
  auto v = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  for (int i = 0; i < 8; ++i) {
    if (v < 0x80) return out.push_back(static_cast<unsigned char>(v));
    out.push_back(static_cast<unsigned char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<unsigned char>(v));
}

class reader {
 public:
  reader(unsigned char const* p, std::size_t n) : p_(p), end_(p + n) {}
  bool done() const noexcept { return p_ == end_; }
  std::int64_t zigzag() {
    std::uint64_t v = 0;
    for (int i = 0; i < 9; ++i) {
      if (p_ == end_) refuse("a count cut short");
      auto byte = *p_++;
      if (i == 8) {
        v |= static_cast<std::uint64_t>(byte) << 56;
        break;
      }
      v |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
      if (!(byte & 0x80)) break;
    }
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }

 private:
  unsigned char const* p_;
  unsigned char const* end_;
};

// ---- base64, RFC 4648 with padding ----

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string to_base64(std::vector<unsigned char> const& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = std::uint32_t(in[i]) << 16;
    if (i + 1 < in.size()) n |= std::uint32_t(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= in[i + 2];
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? alphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < in.size() ? alphabet[n & 63] : '=');
  }
  return out;
}

std::vector<unsigned char> from_base64(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  if (text.empty() || text.size() % 4 != 0) refuse("its base64 is not a whole number of 4-character groups");
  std::vector<unsigned char> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t n = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      char c = text[i + k];
      std::uint32_t six = 0;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
      } else if (auto at = std::strchr(alphabet, c); c != '\0' && at && pad == 0) {
        six = static_cast<std::uint32_t>(at - alphabet);
      } else {
        refuse(fmt::format("'{}' at {} is not base64", c, i + k));
      }
      n = (n << 6) | six;
    }
    out.push_back(static_cast<unsigned char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<unsigned char>(n >> 8));
    if (pad < 1) out.push_back(static_cast<unsigned char>(n));
  }
  return out;
}

// ---- zlib ----

std::vector<unsigned char> deflate(std::vector<unsigned char> const& in) {
  auto bound = compressBound(static_cast<uLong>(in.size()));
  std::vector<unsigned char> out(bound);
  auto rc = compress2(out.data(), &bound, in.data(), static_cast<uLong>(in.size()), Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) throw std::runtime_error(fmt::format("zlib could not deflate a histogram (error {})", rc));
  out.resize(bound);
  return out;
}

std::vector<unsigned char> inflate(unsigned char const* in, std::size_t n) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) throw std::runtime_error("zlib could not start inflating");
  z.next_in = const_cast<unsigned char*>(in);
  z.avail_in = static_cast<uInt>(n);
  std::vector<unsigned char> out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    auto had = out.size();
    if (had >= max_inflated) break;
    out.resize(had + std::max<std::size_t>(4096, n * 4));
    z.next_out = out.data() + had;
    z.avail_out = static_cast<uInt>(out.size() - had);
    rc = ::inflate(&z, Z_NO_FLUSH);
    out.resize(out.size() - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // the input ended before the stream did
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) refuse(rc == Z_OK || rc == Z_BUF_ERROR ? "its deflated payload is cut short or too large" : "its payload does not inflate");
  return out;
}

}  // namespace

std::string encode_v2(histogram const& h) {
  auto counts = h.counts();
  std::size_t limit = 1;  // up to the last counter counted, and at least one, as HdrHistogram writes them
  for (std::size_t i = counts.size(); i > 0; --i)
    if (counts[i - 1]) {
      limit = i;
      break;
    }
  std::vector<unsigned char> payload;
  payload.reserve(header_bytes + limit * 2);
  put_be(payload, v2_cookie, 4);
  put_be(payload, 0, 4);  // the counts' length, once known
  put_be(payload, 0, 4);  // normalizing index offset: never shifted
  put_be(payload, static_cast<std::uint64_t>(h.significant_digits()), 4);
  put_be(payload, 1, 8);  // lowest discernible value: 1 ns
  put_be(payload, h.highest(), 8);
  put_be(payload, one_as_double, 8);  // integer values: a ratio of 1.0
  for (std::size_t i = 0; i < limit;) {
    if (counts[i] > static_cast<std::uint64_t>(INT64_MAX)) throw std::invalid_argument("a count too large for HdrHistogram's encoding");
    std::size_t zeros = 0;
    while (i + zeros < limit && counts[i + zeros] == 0) ++zeros;
    if (zeros > 1) {
      put_zigzag(payload, -static_cast<std::int64_t>(zeros));
      i += zeros;
    } else {
      put_zigzag(payload, static_cast<std::int64_t>(counts[i]));
      ++i;
    }
  }
  auto counts_bytes = payload.size() - header_bytes;
  for (int b = 0; b < 4; ++b) payload[4 + b] = static_cast<unsigned char>(counts_bytes >> (8 * (3 - b)));
  auto deflated = deflate(payload);
  std::vector<unsigned char> out;
  out.reserve(8 + deflated.size());
  put_be(out, v2_compressed_cookie, 4);
  put_be(out, deflated.size(), 4);
  out.insert(out.end(), deflated.begin(), deflated.end());
  return to_base64(out);
}

histogram decode_v2(std::string_view base64) {
  auto bytes = from_base64(base64);
  if (bytes.size() < 8) refuse("shorter than its 8-byte header");
  auto cookie = static_cast<std::uint32_t>(get_be(bytes.data(), 4));
  if (cookie_base(cookie) != cookie_base(v2_compressed_cookie))
    refuse(fmt::format("cookie {:#x}, not V2 compressed ({:#x}); only V2 is read", cookie, v2_compressed_cookie));
  auto length = get_be(bytes.data() + 4, 4);
  if (length > bytes.size() - 8) refuse("its payload is shorter than its header says");
  auto payload = inflate(bytes.data() + 8, static_cast<std::size_t>(length));
  if (payload.size() < header_bytes) refuse("its inflated payload is shorter than a V2 header");
  auto const* p = payload.data();
  auto inner = static_cast<std::uint32_t>(get_be(p, 4));
  if (cookie_base(inner) != cookie_base(v2_cookie)) refuse(fmt::format("inner cookie {:#x}, not V2", inner));
  auto counts_bytes = get_be(p + 4, 4);
  // p + 8: the normalizing index offset. The counts come in logical index order whatever it is,
  // and hdr-histogram-js writes 1 there: read as hdr-histogram-js reads it, not at all.
  auto digits = get_be(p + 12, 4);
  auto lowest = get_be(p + 16, 8);
  auto highest = get_be(p + 24, 8);
  auto ratio = get_be(p + 32, 8);
  if (digits < 1 || digits > 5) refuse(fmt::format("{} significant digits; splitbench's histograms keep 1 to 5", digits));
  if (lowest != 1) refuse(fmt::format("lowest discernible value {}; splitbench's histograms count from 1 (nanoseconds)", lowest));
  if (highest < 2 || highest > histogram::max_highest) refuse(fmt::format("highest trackable value {}; splitbench's take 2 to 2^62", highest));
  // Java writes the double 1.0, hdr-histogram-js the integer 1: both mean integer values. Any
  // other ratio is a DoubleHistogram's, whose counts stand for other units.
  if (ratio != one_as_double && ratio != 1)
    refuse(fmt::format("an integer-to-double ratio of {}: a DoubleHistogram's encoding, not integer values", std::bit_cast<double>(ratio)));
  if (counts_bytes != payload.size() - header_bytes) refuse("its counts' length does not match its payload");

  auto size = histogram(static_cast<int>(digits), highest).counts().size();
  std::vector<std::uint64_t> counts(size, 0);
  reader in(p + header_bytes, static_cast<std::size_t>(counts_bytes));
  std::size_t at = 0;
  while (!in.done()) {
    auto v = in.zigzag();
    if (v < 0) {
      auto zeros = static_cast<std::uint64_t>(-(v + 1)) + 1;
      at = zeros > size - std::min(at, size) ? size + 1 : at + static_cast<std::size_t>(zeros);
      continue;
    }
    if (at >= size) {
      if (v == 0) continue;
      refuse("a count past the largest bucket of its shape");
    }
    counts[at++] = static_cast<std::uint64_t>(v);
  }
  return histogram::from_counts(static_cast<int>(digits), highest, counts);
}

histogram decode_histogram(std::string_view text) {
  if (text.starts_with("hist1 ")) return histogram::decode(text);
  return decode_v2(text);
}

}  // namespace splitbench::bench

#include "net/url.hpp"

#include "core/hex.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

namespace splitbench::codec {
namespace {

result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return fail(errc::invalid_input, "invalid percent-encoding in query");
      int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return fail(errc::invalid_input, "invalid percent-encoding in query");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

template <class Int>
result<Int> parse_id(std::string_view text, char const* what) {
  Int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 || text[0] == '-' ||
      text[0] == '+')
    return fail(errc::invalid_input, std::string("invalid ") + what + " id '" + std::string(text.substr(0, 32)) + "'");
  return value;
}

}  // namespace

result<product_id> parse_product_id(std::string_view text) { return parse_id<product_id>(text, "product"); }

result<order_id> parse_order_id(std::string_view text) {
  auto id = parse_id<std::uint64_t>(text, "order");
  if (id && *id > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return fail(errc::invalid_input, "invalid order id");
  return id;
}

result<search_query> search_from_query(std::string_view query_string) {
  search_query q;
  bool seen_limit = false, seen_category = false, seen_q = false;
  while (!query_string.empty()) {
    auto amp = query_string.find('&');
    auto pair = query_string.substr(0, amp);
    query_string = amp == std::string_view::npos ? std::string_view{} : query_string.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = pair.substr(0, eq);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!value) return value.error();
    auto once = [&](bool& seen) -> result<done> {
      if (seen) return fail(errc::invalid_input, "parameter '" + std::string(key) + "' given twice");
      seen = true;
      return done{};
    };
    if (key == "category") {
      if (auto ok = once(seen_category); !ok) return ok.error();
      q.category = std::move(*value);
    } else if (key == "q") {
      if (auto ok = once(seen_q); !ok) return ok.error();
      q.text = std::move(*value);
    } else if (key == "limit") {
      if (auto ok = once(seen_limit); !ok) return ok.error();
      int limit = 0;
      auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), limit);
      if (value->empty() || ec != std::errc{} || end != value->data() + value->size())
        return fail(errc::invalid_input, "limit must be between 1 and 100");
      q.limit = limit;
    } else {
      return fail(errc::invalid_input, "unknown parameter '" + std::string(key.substr(0, 64)) + "'");
    }
  }
  return q;
}

}  // namespace splitbench::codec

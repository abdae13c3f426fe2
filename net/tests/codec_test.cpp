#include "net/codec.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace splitbench;

namespace {

/// decode<T>(encode(x)): one call per type, the symmetry the two builds' parity rests on.
template <class T>
T round_trip(T const& x) {
  return codec::decode<T>(codec::encode(x)).value();
}

}  // namespace

TEST_CASE("every body round-trips: decode(encode(x)) == x") {
  product p{7, "Soft \"Steel\" Puzzle", "toys", 36'080, 512};
  CHECK(round_trip(p) == p);
  std::vector<product> ps{p, {8, "Ünïcode ✓", "books", 1, 2}};
  CHECK(round_trip(ps) == ps);
  search_result sr{ps, 1'234};
  CHECK(round_trip(sr) == sr);
  search_query q{"books", "oak chair", 17};
  CHECK(round_trip(q) == q);
  quote_request qr{{{1, 2}, {3, 4}}, "EU", "gold"};
  CHECK(round_trip(qr) == qr);
  order_request orq{"ada", qr};
  CHECK(round_trip(orq) == orq);
  price_quote pq{"US", "silver", {{1, 2, 100, 200, 6, 14, 208, ""}, {3, 6, 50, 300, 100, 15, 215, "3 for 2"}}, 500, 106, 29, 423};
  CHECK(round_trip(pq) == pq);
  order o{12, "bob", pq};
  CHECK(round_trip(o) == o);
  std::vector<stock_level> levels{{1, 0}, {2, 900}};
  CHECK(round_trip(levels) == levels);
  std::vector<product_id> ids{5, 1, 5};
  CHECK(round_trip(ids) == ids);
  std::vector<line> lines{{1, 1}, {2, 1'000}};
  CHECK(round_trip(lines) == lines);
  CHECK(codec::decode<done>(codec::encode(done{})));
}

TEST_CASE("encoding is deterministic, fields in a fixed order") {
  product p{1, "A", "b", 2, 3};
  CHECK(codec::encode(p) == R"({"id":1,"name":"A","category":"b","price_cents":2,"weight_grams":3})");
  CHECK(codec::encode(error{errc::invalid_input, "bad \"x\""}) == R"({"error":"bad \"x\""})");
  // Raw bytes echoed from a path or query never make the body invalid JSON.
  CHECK(codec::encode(error{errc::invalid_input, "bad \xff\x01"}) == R"({"error":"bad ??"})");
}

TEST_CASE("an order and a quote encode field by field, in the documented order") {
  order o{12, "bob", {"US", "silver", {{3, 6, 50, 300, 100, 15, 215, "3 for 2"}}, 300, 100, 15, 215}};
  CHECK(codec::encode(o) ==
        R"({"id":12,"customer":"bob","status":"placed","region":"US","tier":"silver","items":[{"product_id":3,"qty":6,)"
        R"("unit_price_cents":50,"subtotal_cents":300,"discount_cents":100,"tax_cents":15,"total_cents":215,)"
        R"("promotion":"3 for 2"}],"subtotal_cents":300,"discount_cents":100,"tax_cents":15,"total_cents":215})");
  quote q{o.price, {"Oak \"Chair\""}, {4}, false};
  CHECK(codec::encode(q) ==
        R"({"region":"US","tier":"silver","items":[{"product_id":3,"name":"Oak \"Chair\"","qty":6,)"
        R"("unit_price_cents":50,"subtotal_cents":300,"discount_cents":100,"tax_cents":15,"total_cents":215,)"
        R"("promotion":"3 for 2","available":4}],"subtotal_cents":300,"discount_cents":100,"tax_cents":15,)"
        R"("total_cents":215,"all_available":false})");
  CHECK(codec::encode(std::vector<product_id>{}) == R"({"ids":[]})");
  CHECK(codec::encode(std::vector<line>{{1, 2}, {3, 4}}) == R"({"items":[{"product_id":1,"qty":2},{"product_id":3,"qty":4}]})");
  CHECK(codec::encode(search_query{"", "x", -1}) == R"({"category":"","q":"x","limit":-1})");
}

TEST_CASE("strings are escaped exactly as Boost.JSON escapes them") {
  // Every ASCII byte, then random strings of valid UTF-8 (1 to 4 bytes a code point).
  std::vector<std::string> texts;
  for (int c = 0; c < 0x80; ++c) texts.push_back(std::string("a") + static_cast<char>(c) + "z");
  std::uint64_t state = 42;
  auto next = [&state](std::uint32_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33) % bound;
  };
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (auto n = next(12); n > 0; --n) {
      std::uint32_t cp = next(4) == 0 ? next(0x20) : next(3) == 0 ? next(0x110000) : next(0x80);
      if (cp >= 0xD800 && cp < 0xE000) cp = '\\';
      if (cp < 0x80) {
        s += static_cast<char>(cp);
      } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | cp >> 6);
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | cp >> 12);
        s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        s += static_cast<char>(0xF0 | cp >> 18);
        s += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
        s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    texts.push_back(std::move(s));
  }
  for (auto const& text : texts) {
    search_query q{text, text + "\"", 3};
    auto expected = boost::json::serialize(boost::json::object{{"category", q.category}, {"q", q.text}, {"limit", 3}});
    REQUIRE(codec::encode(q) == expected);
    REQUIRE(codec::decode<search_query>(expected).value() == q);
  }
}

TEST_CASE("strict decoding: a clear message for each kind of bad body") {
  auto message = [](std::string_view body) { return codec::decode<quote_request>(body).error().message; };
  CHECK(message("") .starts_with("invalid JSON"));
  CHECK(message("{") .starts_with("invalid JSON"));
  CHECK(message("[1,2]") == "body must be a JSON object");
  CHECK(message(R"({"region":"EU","tier":"gold"})") == "items is required");
  CHECK(message(R"({"items":{},"region":"EU","tier":"gold"})") == "items must be an array");
  CHECK(message(R"({"items":[7],"region":"EU","tier":"gold"})") == "items[0] must be an object");
  CHECK(message(R"({"items":[{"product_id":"1","qty":1}],"region":"EU","tier":"gold"})") == "items[0].product_id must be an integer");
  CHECK(message(R"({"items":[{"product_id":1.5,"qty":1}],"region":"EU","tier":"gold"})") == "items[0].product_id must be an integer");
  CHECK(message(R"({"items":[{"product_id":1,"qty":1e30}],"region":"EU","tier":"gold"})") == "items[0].qty must be an integer");
  CHECK(message(R"({"items":[{"product_id":99999999999999999999,"qty":1}],"region":"EU","tier":"gold"})").starts_with("items[0].product_id"));
  CHECK(message(R"({"items":[{"product_id":-1,"qty":1}],"region":"EU","tier":"gold"})") == "items[0].product_id is out of range");
  CHECK(message(R"({"items":[{"product_id":1,"qty":4294967296}],"region":"EU","tier":"gold"})") == "items[0].qty is out of range");
  CHECK(message(R"({"items":[{"product_id":1,"qty":1,"x":0}],"region":"EU","tier":"gold"})") == "unknown field 'items[0].x'");
  CHECK(message(R"({"items":[],"region":7,"tier":"gold"})") == "region must be a string");
  CHECK(message(R"({"items":[],"region":"EU","tier":"gold","coupon":"X"})") == "unknown field 'coupon'");
  CHECK(codec::decode<quote_request>("{\"items\":[],\"region\":\"\xff\",\"tier\":\"gold\"}").error().message.starts_with("invalid JSON"));
  std::string deep(100, '[');
  CHECK(codec::decode<quote_request>(deep + std::string(100, ']')).error().message.starts_with("invalid JSON"));
  std::string many = R"({"items":[)";
  for (int i = 0; i < 1'001; ++i) many += std::string(i ? "," : "") + R"({"product_id":1,"qty":1})";
  CHECK(codec::decode<quote_request>(many + R"(],"region":"EU","tier":"gold"})").error().message == "at most 50 items");
  CHECK(codec::decode<order_request>(R"({"items":[],"region":"EU","tier":"gold"})").error().message == "customer is required");
}

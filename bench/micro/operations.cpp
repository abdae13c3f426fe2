#include "operations.hpp"

#include "net/codec.hpp"

#include <benchmark/benchmark.h>

namespace splitbench::micro {

std::vector<operation> operations(shop& s) {
  static quote_request const request{{{17, 2}, {4'242, 1}, {9'001, 3}}, "EU", "gold"};
  static std::string const request_body = codec::encode(request);
  static std::string const order_body = codec::encode(order_request{"ada", request});
  static std::string const product_body = codec::encode(s.cat.find(17).value());
  static std::string const quote_body = codec::encode(s.prices.quote(request).value());
  return {
      {"catalog_find", [&s](std::uint64_t i) { benchmark::DoNotOptimize(s.cat.find(static_cast<product_id>(1 + i % 10'000))); }},
      {"catalog_search", [&s](std::uint64_t i) {
         static char const* words[] = {"oak chair", "lamp", "kett", "steel", "rustic wool"};
         benchmark::DoNotOptimize(s.cat.search({i % 3 == 0 ? "books" : "", words[i % 5], 10}));
       }},
      {"inventory_reserve_release", [&s](std::uint64_t i) {
         line lines[] = {{static_cast<product_id>(1 + i % 10'000), 1}};
         if (s.inv.reserve(lines)) benchmark::DoNotOptimize(s.inv.release(lines));
       }},
      {"pricing_quote", [&s](std::uint64_t) { benchmark::DoNotOptimize(s.prices.quote(request)); }},
      {"codec_encode_product", [&s](std::uint64_t i) {
         benchmark::DoNotOptimize(codec::encode(s.cat.find(static_cast<product_id>(1 + i % 10'000)).value()));
       }},
      {"codec_decode_product", [](std::uint64_t) { benchmark::DoNotOptimize(codec::decode<product>(product_body)); }},
      {"codec_decode_quote_request", [](std::uint64_t) { benchmark::DoNotOptimize(codec::decode<quote_request>(request_body)); }},
      {"codec_decode_order_request", [](std::uint64_t) { benchmark::DoNotOptimize(codec::decode<order_request>(order_body)); }},
      {"codec_roundtrip_price_quote", [](std::uint64_t) {
         benchmark::DoNotOptimize(codec::encode(codec::decode<price_quote>(quote_body).value()));
       }},
      {"seam_get_product", [&s](std::uint64_t i) {
         s.front.get_product(static_cast<product_id>(1 + i % 10'000), [](result<product> p) { benchmark::DoNotOptimize(p); });
       }},
      {"seam_quote", [&s](std::uint64_t) { s.front.quote(request, [](result<quote> q) { benchmark::DoNotOptimize(q); }); }},
  };
}

}  // namespace splitbench::micro

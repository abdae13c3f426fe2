#include "bench/driver/histogram_json.hpp"

#include "bench/driver/hdr_codec.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace splitbench::bench {
namespace json = boost::json;

void put_histogram(json::object& o, histogram const& h) {
  auto t = h.exact_totals();
  o["histogram"] = encode_v2(h);
  o["histogram_totals"] = json::object{
      {"min_ns", t.min}, {"max_ns", t.max}, {"sum_ns", t.sum}, {"sum_squares_ns2", t.sum_squares}, {"saturated", t.saturated}};
}

histogram histogram_in(json::object const& o) {
  auto const* text = o.if_contains("histogram");
  if (!text || !text->is_string()) throw std::invalid_argument("no \"histogram\" string");
  auto h = decode_histogram(text->get_string());
  auto const* totals = o.if_contains("histogram_totals");
  if (!totals) return h;
  try {
    auto const& t = totals->as_object();
    h.restore({json::value_to<std::uint64_t>(t.at("min_ns")), json::value_to<std::uint64_t>(t.at("max_ns")),
               json::value_to<std::uint64_t>(t.at("sum_ns")), json::value_to<double>(t.at("sum_squares_ns2")),
               json::value_to<std::uint64_t>(t.at("saturated"))});
  } catch (std::invalid_argument const&) {
    throw;
  } catch (std::exception const& e) {
    throw std::invalid_argument(std::string("\"histogram_totals\" is not five numbers: ") + e.what());
  }
  return h;
}

}  // namespace splitbench::bench

// Raw bytes into every decoder of the JSON codec. None may crash; and whatever decodes must
// survive encode then decode unchanged, the property the two builds' parity rests on.

#include "net/codec.hpp"
#include "net/url.hpp"

#include <cstdlib>
#include <string_view>

namespace {

using namespace splitbench;

template <class T, class Decode>
void round_trip(std::string_view text, Decode decode) {
  result<T> value = decode(text);
  if (!value) {
    if (value.error().code != errc::invalid_input) std::abort();  // bad bodies are the client's, never ours
    return;
  }
  result<T> again = decode(codec::encode(*value));
  if (!again || !(*again == *value)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  round_trip<quote_request>(text, codec::decode_quote_request);
  round_trip<order_request>(text, codec::decode_order_request);
  round_trip<search_query>(text, codec::decode_search_query);
  round_trip<std::vector<product_id>>(text, codec::decode_ids);
  round_trip<std::vector<line>>(text, codec::decode_lines);
  round_trip<product>(text, codec::decode_product);
  round_trip<std::vector<product>>(text, codec::decode_products);
  round_trip<search_result>(text, codec::decode_search_result);
  round_trip<price_quote>(text, codec::decode_price_quote);
  round_trip<std::vector<stock_level>>(text, codec::decode_stock_levels);
  round_trip<order>(text, codec::decode_order);
  (void)codec::search_from_query(text);
  (void)codec::parse_product_id(text);
  (void)codec::parse_order_id(text);
  (void)codec::decode_error_message(text);
  return 0;
}

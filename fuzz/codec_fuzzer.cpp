// Raw bytes into every decoder of the JSON codec. None may crash; and whatever decodes must
// survive encode then decode unchanged, the property the two builds' parity rests on.

#include "net/codec.hpp"
#include "net/url.hpp"

#include <cstdlib>
#include <string_view>

namespace {

using namespace splitbench;

template <class T>
void round_trip(std::string_view text) {
  result<T> value = codec::decode<T>(text);
  if (!value) {
    if (value.error().code != errc::invalid_input) std::abort();  // bad bodies are the client's, never ours
    return;
  }
  result<T> again = codec::decode<T>(codec::encode(*value));
  if (!again || !(*again == *value)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  round_trip<quote_request>(text);
  round_trip<order_request>(text);
  round_trip<search_query>(text);
  round_trip<std::vector<product_id>>(text);
  round_trip<std::vector<line>>(text);
  round_trip<product>(text);
  round_trip<std::vector<product>>(text);
  round_trip<search_result>(text);
  round_trip<price_quote>(text);
  round_trip<std::vector<stock_level>>(text);
  round_trip<order>(text);
  (void)codec::search_from_query(text);
  (void)codec::parse_product_id(text);
  (void)codec::parse_order_id(text);
  (void)codec::decode_error_message(text);
  return 0;
}

#pragma once
/// The JSON codec of every body, public and internal, shared by both front doors, the services
/// and their stubs. Encoding is deterministic (fields in a fixed order), and decode(encode(x)) == x,
/// which is what makes the monolith's and the split's responses byte-identical.
///
/// Decoders are strict: a body must be a JSON object with exactly the documented fields, of the
/// documented types; anything else is invalid_input with a message naming the field.
///
/// The JSON itself is written by json_writer.hpp and read by json_reader.hpp; what a URL carries
/// (path ids, the search query string) is read by url.hpp.

#include "core/error.hpp"
#include "core/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace splitbench::codec {

std::string encode(product const& p);
std::string encode(std::vector<product> const& products);
std::string encode(search_result const& r);
std::string encode(search_query const& q);
std::string encode(quote_request const& r);
std::string encode(order_request const& r);
std::string encode(price_quote const& q);
std::string encode(std::vector<stock_level> const& levels);
std::string encode(std::vector<product_id> const& ids);
std::string encode(std::vector<line> const& lines);
std::string encode(quote const& q);
std::string encode(order const& o);
std::string encode(done);
/// `{"error":"<message>"}`
std::string encode(error const& e);

/// The public and internal request bodies.
result<quote_request> decode_quote_request(std::string_view body);
result<order_request> decode_order_request(std::string_view body);
result<search_query> decode_search_query(std::string_view body);
result<std::vector<product_id>> decode_ids(std::string_view body);
result<std::vector<line>> decode_lines(std::string_view body);

/// The internal response bodies, as a stub reads them.
result<product> decode_product(std::string_view body);
result<std::vector<product>> decode_products(std::string_view body);
result<search_result> decode_search_result(std::string_view body);
result<price_quote> decode_price_quote(std::string_view body);
result<std::vector<stock_level>> decode_stock_levels(std::string_view body);
result<order> decode_order(std::string_view body);
result<done> decode_done(std::string_view body);
/// The message of an `{"error": ...}` body, or the body itself when it is not one.
std::string decode_error_message(std::string_view body);

}  // namespace splitbench::codec

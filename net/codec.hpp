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

/// The body of a value, for every value that crosses a wire.
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
/// The public quote: only ever answered, never read back.
std::string encode(quote const& q);
std::string encode(order const& o);
std::string encode(done);
/// `{"error":"<message>"}`
std::string encode(error const& e);

/// The value a body holds: decode<T>(encode(x)) == x for every T specialised below.
///
///   auto request = codec::decode<quote_request>(body);
template <class T>
result<T> decode(std::string_view body);

/// The public and internal request bodies: exactly the documented fields, no others.
template <> result<quote_request> decode<quote_request>(std::string_view body);
template <> result<order_request> decode<order_request>(std::string_view body);
template <> result<search_query> decode<search_query>(std::string_view body);
template <> result<std::vector<product_id>> decode<std::vector<product_id>>(std::string_view body);
template <> result<std::vector<line>> decode<std::vector<line>>(std::string_view body);

/// The internal response bodies, as a stub reads them.
template <> result<product> decode<product>(std::string_view body);
template <> result<std::vector<product>> decode<std::vector<product>>(std::string_view body);
template <> result<search_result> decode<search_result>(std::string_view body);
template <> result<price_quote> decode<price_quote>(std::string_view body);
template <> result<std::vector<stock_level>> decode<std::vector<stock_level>>(std::string_view body);
template <> result<order> decode<order>(std::string_view body);
template <> result<done> decode<done>(std::string_view body);

/// The message of an `{"error": ...}` body, or the body itself when it is not one: an error
/// answer is read for its message whatever its shape, never refused.
std::string decode_error_message(std::string_view body);

}  // namespace splitbench::codec

#pragma once
/// What a request's URL carries besides its path: ids captured from path segments and a search
/// from the query string. Strict like the JSON decoders: anything else is invalid_input with a
/// message naming what was wrong.

#include "core/error.hpp"
#include "core/types.hpp"

#include <string_view>

namespace splitbench::codec {

/// Parses a decimal id from a path segment: digits only, 1..2^32-1 (product) or 1..2^63-1 (order).
result<product_id> parse_product_id(std::string_view text);
/// See parse_product_id.
result<order_id> parse_order_id(std::string_view text);

/// A search from query-string parameters: category, q and limit (default 10); other keys are
/// invalid input. Values are percent-decoded; `+` is a space.
result<search_query> search_from_query(std::string_view query_string);

}  // namespace splitbench::codec

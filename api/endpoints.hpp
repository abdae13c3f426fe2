#pragma once
/// The public API (DESIGN.md), one endpoint per use case of the storefront: the same on the
/// monolith and on the split's gateway.

#include "core/types.hpp"
#include "net/endpoint.hpp"
#include "net/url.hpp"

namespace splitbench::api::endpoints {

/// One product, or 404.
inline constexpr net::endpoint<product_id, product, net::carrier::path> get_product{
    .method = net::method::get, .path = "/api/products/{id}", .read = codec::parse_product_id};
/// A search: `?category=C&q=TEXT&limit=N`.
inline constexpr net::endpoint<search_query, search_result, net::carrier::query> search{
    .method = net::method::get, .path = "/api/products", .read = codec::search_from_query};
/// A priced quote with availability.
inline constexpr net::endpoint<quote_request, quote> quote{.method = net::method::post, .path = "/api/quote"};
/// Places an order: 201 with the order, 409 when out of stock.
inline constexpr net::endpoint<order_request, order> place_order{
    .method = net::method::post, .path = "/api/orders", .ok = 201};
/// One order, or 404.
inline constexpr net::endpoint<order_id, order, net::carrier::path> get_order{
    .method = net::method::get, .path = "/api/orders/{id}", .read = codec::parse_order_id};

}  // namespace splitbench::api::endpoints

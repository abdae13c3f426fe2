#pragma once
/// The internal HTTP API of each service, one endpoint per operation of its interface: what the
/// stubs (stubs.hpp) call and the service routes (service_routes.hpp) answer. Request bodies are
/// JSON objects (`{"ids":[...]}`, `{"items":[...]}`, ...) as the codec writes them.

#include "core/types.hpp"
#include "net/endpoint.hpp"
#include "net/url.hpp"

#include <vector>

namespace splitbench::split::endpoints {

/// catalog_service::get_product: one product, or 404.
inline constexpr net::endpoint<product_id, product, net::carrier::path> get_product{
    .method = net::method::get, .path = "/internal/products/{id}", .read = codec::parse_product_id};
/// catalog_service::get_products: `{"ids":[...]}` in, `{"items":[...]}` out.
inline constexpr net::endpoint<std::vector<product_id>, std::vector<product>> get_products{
    .method = net::method::post, .path = "/internal/products", .idempotent = true};
/// catalog_service::search.
inline constexpr net::endpoint<search_query, search_result> search{
    .method = net::method::post, .path = "/internal/search", .idempotent = true};

/// inventory_service::availability: `{"ids":[...]}` in, stock levels out.
inline constexpr net::endpoint<std::vector<product_id>, std::vector<stock_level>> availability{
    .method = net::method::post, .path = "/internal/availability", .idempotent = true};
/// inventory_service::reserve: `{"items":[...]}` in, `{}` or 409 out.
inline constexpr net::endpoint<std::vector<line>, done> reserve{
    .method = net::method::post, .path = "/internal/reserve"};
/// inventory_service::release: `{"items":[...]}` in, `{}` out.
inline constexpr net::endpoint<std::vector<line>, done> release{
    .method = net::method::post, .path = "/internal/release"};

/// pricing_service::quote.
inline constexpr net::endpoint<quote_request, price_quote> quote{
    .method = net::method::post, .path = "/internal/quote", .idempotent = true};

/// orders_service::place: 201 with the order.
inline constexpr net::endpoint<order_request, order> place_order{
    .method = net::method::post, .path = "/internal/orders", .ok = 201};
/// orders_service::get: one order, or 404.
inline constexpr net::endpoint<order_id, order, net::carrier::path> get_order{
    .method = net::method::get, .path = "/internal/orders/{id}", .read = codec::parse_order_id};

}  // namespace splitbench::split::endpoints

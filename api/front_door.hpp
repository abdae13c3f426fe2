#pragma once
/// The public API (DESIGN.md), identical on the monolith and the split's gateway: both add these
/// routes over a storefront; only the storefront's bindings differ.

#include "core/storefront.hpp"
#include "net/router.hpp"

namespace splitbench::api {

/// GET /api/products/{id}, GET /api/products?category=&q=&limit=, POST /api/quote,
/// POST /api/orders (201), GET /api/orders/{id}.
void add_public_routes(net::router& routes, storefront& shop);

}  // namespace splitbench::api

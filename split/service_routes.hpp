#pragma once
/// The internal HTTP API of each service: what the stubs in stubs.hpp call. Each route decodes
/// its body, calls the service's binding and encodes the answer.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"
#include "net/router.hpp"

namespace splitbench::split {

/// GET /internal/products/{id}, POST /internal/products {"ids"}, POST /internal/search.
void add_catalog_routes(net::router& routes, catalog_service& catalog);
/// POST /internal/availability {"ids"}, POST /internal/reserve {"items"}, POST /internal/release {"items"}.
void add_inventory_routes(net::router& routes, inventory_service& inventory);
/// POST /internal/quote.
void add_pricing_routes(net::router& routes, pricing_service& pricing);
/// POST /internal/orders (201), GET /internal/orders/{id}.
void add_orders_routes(net::router& routes, orders_service& orders);

}  // namespace splitbench::split

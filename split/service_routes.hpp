#pragma once
/// Each service's routes: the callee's side of its endpoints (endpoints.hpp), over whatever
/// binding of the service the process holds (in-process, maybe delayed).

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"
#include "net/router.hpp"

namespace splitbench::split {

/// get_product, get_products and search.
void add_catalog_routes(net::router& routes, catalog_service& catalog);
/// availability, reserve and release.
void add_inventory_routes(net::router& routes, inventory_service& inventory);
/// quote.
void add_pricing_routes(net::router& routes, pricing_service& pricing);
/// place_order (201) and get_order.
void add_orders_routes(net::router& routes, orders_service& orders);

}  // namespace splitbench::split

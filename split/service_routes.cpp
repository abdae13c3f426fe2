#include "split/service_routes.hpp"

#include "net/route.hpp"
#include "split/endpoints.hpp"

namespace splitbench::split {

using net::add_route;

void add_catalog_routes(net::router& routes, catalog_service& catalog) {
  add_route(routes, endpoints::get_product, catalog, &catalog_service::get_product);
  add_route(routes, endpoints::get_products, catalog, &catalog_service::get_products);
  add_route(routes, endpoints::search, catalog, &catalog_service::search);
}

void add_inventory_routes(net::router& routes, inventory_service& inventory) {
  add_route(routes, endpoints::availability, inventory, &inventory_service::availability);
  add_route(routes, endpoints::reserve, inventory, &inventory_service::reserve);
  add_route(routes, endpoints::release, inventory, &inventory_service::release);
}

void add_pricing_routes(net::router& routes, pricing_service& pricing) {
  add_route(routes, endpoints::quote, pricing, &pricing_service::quote);
}

void add_orders_routes(net::router& routes, orders_service& orders) {
  add_route(routes, endpoints::place_order, orders, &orders_service::place);
  add_route(routes, endpoints::get_order, orders, &orders_service::get);
}

}  // namespace splitbench::split

#include "api/front_door.hpp"

#include "api/endpoints.hpp"
#include "net/route.hpp"

namespace splitbench::api {

void add_public_routes(net::router& routes, storefront& shop) {
  using net::add_route;
  add_route(routes, endpoints::get_product, shop, &storefront::get_product);
  add_route(routes, endpoints::search, shop, &storefront::search);
  add_route(routes, endpoints::quote, shop, &storefront::quote);
  add_route(routes, endpoints::place_order, shop, &storefront::place_order);
  add_route(routes, endpoints::get_order, shop, &storefront::get_order);
}

}  // namespace splitbench::api

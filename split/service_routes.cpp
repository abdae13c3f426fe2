#include "split/service_routes.hpp"

#include "api/respond.hpp"
#include "net/url.hpp"

namespace splitbench::split {

using api::answer;
using api::respond_with;
using net::method;

void add_catalog_routes(net::router& routes, catalog_service& catalog) {
  routes.add(method::get, "/internal/products/{id}", [&catalog](net::request const&, net::captures c, net::responder respond) {
    auto id = codec::parse_product_id(c[0]);
    if (!id) return respond(api::respond_error(id.error()));
    catalog.get_product(*id, answer<product>(std::move(respond)));
  });
  routes.add(method::post, "/internal/products", [&catalog](net::request const& req, net::captures, net::responder respond) {
    auto ids = codec::decode<std::vector<product_id>>(req.body);
    if (!ids) return respond(api::respond_error(ids.error()));
    catalog.get_products(std::move(*ids), answer<std::vector<product>>(std::move(respond)));
  });
  routes.add(method::post, "/internal/search", [&catalog](net::request const& req, net::captures, net::responder respond) {
    auto query = codec::decode<search_query>(req.body);
    if (!query) return respond(api::respond_error(query.error()));
    catalog.search(std::move(*query), answer<search_result>(std::move(respond)));
  });
}

void add_inventory_routes(net::router& routes, inventory_service& inventory) {
  routes.add(method::post, "/internal/availability", [&inventory](net::request const& req, net::captures, net::responder respond) {
    auto ids = codec::decode<std::vector<product_id>>(req.body);
    if (!ids) return respond(api::respond_error(ids.error()));
    inventory.availability(std::move(*ids), answer<std::vector<stock_level>>(std::move(respond)));
  });
  routes.add(method::post, "/internal/reserve", [&inventory](net::request const& req, net::captures, net::responder respond) {
    auto lines = codec::decode<std::vector<line>>(req.body);
    if (!lines) return respond(api::respond_error(lines.error()));
    inventory.reserve(std::move(*lines), answer<done>(std::move(respond)));
  });
  routes.add(method::post, "/internal/release", [&inventory](net::request const& req, net::captures, net::responder respond) {
    auto lines = codec::decode<std::vector<line>>(req.body);
    if (!lines) return respond(api::respond_error(lines.error()));
    inventory.release(std::move(*lines), answer<done>(std::move(respond)));
  });
}

void add_pricing_routes(net::router& routes, pricing_service& pricing) {
  routes.add(method::post, "/internal/quote", [&pricing](net::request const& req, net::captures, net::responder respond) {
    auto request = codec::decode<quote_request>(req.body);
    if (!request) return respond(api::respond_error(request.error()));
    pricing.quote(std::move(*request), answer<price_quote>(std::move(respond)));
  });
}

void add_orders_routes(net::router& routes, orders_service& orders) {
  routes.add(method::post, "/internal/orders", [&orders](net::request const& req, net::captures, net::responder respond) {
    auto request = codec::decode<order_request>(req.body);
    if (!request) return respond(api::respond_error(request.error()));
    orders.place(std::move(*request), answer<order>(std::move(respond), 201));
  });
  routes.add(method::get, "/internal/orders/{id}", [&orders](net::request const&, net::captures c, net::responder respond) {
    auto id = codec::parse_order_id(c[0]);
    if (!id) return respond(api::respond_error(id.error()));
    orders.get(*id, answer<order>(std::move(respond)));
  });
}

}  // namespace splitbench::split

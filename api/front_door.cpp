#include "api/front_door.hpp"

#include "api/respond.hpp"
#include "net/url.hpp"

namespace splitbench::api {

void add_public_routes(net::router& routes, storefront& shop) {
  using net::method;
  routes.add(method::get, "/api/products/{id}", [&shop](net::request const&, net::captures c, net::responder respond) {
    auto id = codec::parse_product_id(c[0]);
    if (!id) return respond(api::respond_error(id.error()));
    shop.get_product(*id, answer<product>(std::move(respond)));
  });
  routes.add(method::get, "/api/products", [&shop](net::request const& req, net::captures, net::responder respond) {
    auto query = codec::search_from_query(req.query);
    if (!query) return respond(api::respond_error(query.error()));
    shop.search(std::move(*query), answer<search_result>(std::move(respond)));
  });
  routes.add(method::post, "/api/quote", [&shop](net::request const& req, net::captures, net::responder respond) {
    auto body = codec::decode<quote_request>(req.body);
    if (!body) return respond(api::respond_error(body.error()));
    shop.quote(std::move(*body), answer<quote>(std::move(respond)));
  });
  routes.add(method::post, "/api/orders", [&shop](net::request const& req, net::captures, net::responder respond) {
    auto body = codec::decode<order_request>(req.body);
    if (!body) return respond(api::respond_error(body.error()));
    shop.place_order(std::move(*body), answer<order>(std::move(respond), 201));
  });
  routes.add(method::get, "/api/orders/{id}", [&shop](net::request const&, net::captures c, net::responder respond) {
    auto id = codec::parse_order_id(c[0]);
    if (!id) return respond(api::respond_error(id.error()));
    shop.get_order(*id, answer<order>(std::move(respond)));
  });
}

}  // namespace splitbench::api

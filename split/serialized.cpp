#include "split/serialized.hpp"

#include "net/codec.hpp"
#include "net/server_timing.hpp"
#include "split/endpoints.hpp"

#include <string>

namespace splitbench::split {
namespace {

/// Error answers as they cross a wire: the callee writes `{"error": ...}` with the error's
/// status, the caller reads the status and the message back (stubs.cpp's rule).
error across_the_wire(error const& e) { return error_from_status(http_status(e), codec::decode_error_message(codec::encode(e))); }

/// `(inner.*op)(request)` with the request and the answer each encoded and decoded on the way,
/// as endpoint `e`'s stub and route would.
template <class Request, class Response, net::carrier In, class Service>
void call(net::endpoint<Request, Response, In> const& e, Service& inner, void (Service::*op)(Request, callback<Response>),
          Request const& request, callback<Response> done) {
  static_assert(In != net::carrier::query, "no internal endpoint takes a query string");
  // Timed as codec work where the request asked for its timing, as the stubs and routes time theirs.
  auto read = net::timed_codec([&] {
    std::string text;
    if constexpr (In == net::carrier::path) text = std::to_string(request);
    else text = codec::encode(request);
    return e.read(text);
  });
  if (!read) return done(across_the_wire(read.error()));
  (inner.*op)(std::move(*read), [done = std::move(done)](result<Response> r) {
    if (!r) return done(across_the_wire(r.error()));
    result<Response> value = net::timed_codec([&] { return codec::decode<Response>(codec::encode(*r)); });
    if (!value) return done(error{errc::internal, "bad response from a peer: " + value.error().message});
    done(std::move(value));
  });
}

}  // namespace

void serialized_catalog::get_product(product_id id, callback<product> done) {
  call(endpoints::get_product, inner_, &catalog_service::get_product, id, std::move(done));
}
void serialized_catalog::get_products(std::vector<product_id> ids, callback<std::vector<product>> done) {
  call(endpoints::get_products, inner_, &catalog_service::get_products, ids, std::move(done));
}
void serialized_catalog::search(search_query query, callback<search_result> done) {
  call(endpoints::search, inner_, &catalog_service::search, query, std::move(done));
}

void serialized_inventory::availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) {
  call(endpoints::availability, inner_, &inventory_service::availability, ids, std::move(done));
}
void serialized_inventory::reserve(std::vector<line> lines, callback<done> cb) {
  call(endpoints::reserve, inner_, &inventory_service::reserve, lines, std::move(cb));
}
void serialized_inventory::release(std::vector<line> lines, callback<done> cb) {
  call(endpoints::release, inner_, &inventory_service::release, lines, std::move(cb));
}

void serialized_pricing::quote(quote_request request, callback<price_quote> done) {
  call(endpoints::quote, inner_, &pricing_service::quote, request, std::move(done));
}

void serialized_orders::place(order_request request, callback<order> done) {
  call(endpoints::place_order, inner_, &orders_service::place, request, std::move(done));
}
void serialized_orders::get(order_id id, callback<order> done) {
  call(endpoints::get_order, inner_, &orders_service::get, id, std::move(done));
}

}  // namespace splitbench::split

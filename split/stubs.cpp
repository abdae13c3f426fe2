#include "split/stubs.hpp"

#include "net/codec.hpp"

namespace splitbench::split {
namespace {

/// Sends one request and decodes a 2xx body with `decode`; an error status becomes the error it
/// stands for, with the peer's message; an undecodable body is an internal error.
template <class T, class Decode>
void call(net::http_client& client, net::method m, std::string target, std::string body, Decode decode,
          callback<T> done) {
  client.send(m, std::move(target), std::move(body),
              [decode, done = std::move(done)](result<net::reply> r) {
                if (!r) return done(r.error());
                if (r->status >= 400) return done(error{errc_from_status(r->status), codec::decode_error_message(r->body)});
                result<T> value = decode(r->body);
                if (!value) return done(error{errc::internal, "bad response from a peer: " + value.error().message});
                done(std::move(value));
              });
}

}  // namespace

void http_catalog::get_product(product_id id, callback<product> done) {
  call<product>(client_, net::method::get, "/internal/products/" + std::to_string(id), {}, codec::decode<product>, std::move(done));
}
void http_catalog::get_products(std::vector<product_id> ids, callback<std::vector<product>> done) {
  call<std::vector<product>>(client_, net::method::post, "/internal/products", codec::encode(ids), codec::decode<std::vector<product>>,
                             std::move(done));
}
void http_catalog::search(search_query query, callback<search_result> done) {
  call<search_result>(client_, net::method::post, "/internal/search", codec::encode(query), codec::decode<search_result>,
                      std::move(done));
}

void http_inventory::availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) {
  call<std::vector<stock_level>>(client_, net::method::post, "/internal/availability", codec::encode(ids),
                                 codec::decode<std::vector<stock_level>>, std::move(done));
}
void http_inventory::reserve(std::vector<line> lines, callback<done> cb) {
  call<done>(client_, net::method::post, "/internal/reserve", codec::encode(lines), codec::decode<done>, std::move(cb));
}
void http_inventory::release(std::vector<line> lines, callback<done> cb) {
  call<done>(client_, net::method::post, "/internal/release", codec::encode(lines), codec::decode<done>, std::move(cb));
}

void http_pricing::quote(quote_request request, callback<price_quote> done) {
  call<price_quote>(client_, net::method::post, "/internal/quote", codec::encode(request), codec::decode<price_quote>,
                    std::move(done));
}

void http_orders::place(order_request request, callback<order> done) {
  call<order>(client_, net::method::post, "/internal/orders", codec::encode(request), codec::decode<order>, std::move(done));
}
void http_orders::get(order_id id, callback<order> done) {
  call<order>(client_, net::method::get, "/internal/orders/" + std::to_string(id), {}, codec::decode<order>, std::move(done));
}

}  // namespace splitbench::split

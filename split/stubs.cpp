#include "split/stubs.hpp"

#include "net/codec.hpp"
#include "net/server_timing.hpp"
#include "split/endpoints.hpp"

#include <optional>
#include <string>

namespace splitbench::split {
namespace {

/// Sends `request` to endpoint `e` and decodes a 2xx body; an error status becomes the error it
/// stands for, with the peer's message (and the status itself where no kind names it, so that a
/// peer's 502 is the caller's 502 too); an undecodable body is an internal error.
template <class Request, class Response, net::carrier In>
void call(net::http_client& client, net::endpoint<Request, Response, In> const& e, Request const& request,
          callback<Response> done) {
  static_assert(In != net::carrier::query, "no internal endpoint takes a query string");
  std::string target, body;
  if constexpr (In == net::carrier::path) {
    target = std::string(e.path.substr(0, e.path.find('{'))) + std::to_string(request);  // the capture ends the path
  } else {
    target = e.path;
    body = net::timed_codec([&] { return codec::encode(request); });
  }
  auto answer = [](result<net::reply>& r, callback<Response>& to) {
    if (!r) return to(r.error());
    if (r->status >= 400) return to(error_from_status(r->status, codec::decode_error_message(r->body)));
    result<Response> value = net::timed_codec([&] { return codec::decode<Response>(r->body); });
    if (!value) return to(error{errc::internal, "bad response from a peer: " + value.error().message});
    to(std::move(value));
  };
  if (auto* timing = net::current_timing()) [[unlikely]] {
    // The request asked for its timing: so does this call, and its answer is accounted before
    // it is handed on, with the request's timing current again (server_timing.hpp).
    auto ticket = timing->call_sent(net::request_timing::clock::now());
    auto keep = timing->shared_from_this();
    auto server_timing = std::make_shared<std::string>();
    auto* into = server_timing.get();
    return client.send(e.method, e.repeatable(), std::move(target), std::move(body),
                       [done = std::move(done), answer, keep, ticket, server_timing, peer = &client.name()](result<net::reply> r) mutable {
                         std::optional<net::timing_parts> callee;
                         if (r && !server_timing->empty()) callee = net::parse_server_timing(*server_timing);
                         keep->call_answered(ticket, net::request_timing::clock::now(), *peer, callee);
                         net::timing_scope scope(keep.get());
                         answer(r, done);
                       }, into);
  }
  client.send(e.method, e.repeatable(), std::move(target), std::move(body),
              [done = std::move(done), answer](result<net::reply> r) mutable { answer(r, done); });
}

}  // namespace

void http_catalog::get_product(product_id id, callback<product> done) {
  call(client_, endpoints::get_product, id, std::move(done));
}
void http_catalog::get_products(std::vector<product_id> ids, callback<std::vector<product>> done) {
  call(client_, endpoints::get_products, ids, std::move(done));
}
void http_catalog::search(search_query query, callback<search_result> done) {
  call(client_, endpoints::search, query, std::move(done));
}

void http_inventory::availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) {
  call(client_, endpoints::availability, ids, std::move(done));
}
void http_inventory::reserve(std::vector<line> lines, callback<done> cb) {
  call(client_, endpoints::reserve, lines, std::move(cb));
}
void http_inventory::release(std::vector<line> lines, callback<done> cb) {
  call(client_, endpoints::release, lines, std::move(cb));
}

void http_pricing::quote(quote_request request, callback<price_quote> done) {
  call(client_, endpoints::quote, request, std::move(done));
}

void http_orders::place(order_request request, callback<order> done) {
  call(client_, endpoints::place_order, request, std::move(done));
}
void http_orders::get(order_id id, callback<order> done) {
  call(client_, endpoints::get_order, id, std::move(done));
}

}  // namespace splitbench::split

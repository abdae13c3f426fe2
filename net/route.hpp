#pragma once
/// The callee's side of an endpoint: one route that reads the request, answers a bad one with its
/// error, calls the service and answers with what the service gives. Every route of every
/// process is one of these: the public front door and each service's internal API.
///
///   net::add_route(routes, endpoints::get_product, catalog, &catalog_service::get_product);

#include "core/callback.hpp"
#include "net/codec.hpp"
#include "net/endpoint.hpp"
#include "net/router.hpp"
#include "net/server_timing.hpp"

#include <utility>

namespace splitbench::net {
namespace detail {

/// The text a request of an endpoint with carrier `In` is read from.
template <carrier In>
std::string_view request_text(request const& req, captures c) {
  if constexpr (In == carrier::body) return req.body;
  else if constexpr (In == carrier::query) return req.query;
  else return c[0];
}

/// The error's status with `{"error": ...}`.
inline response respond_error(error const& e) { return error_response(http_status(e), e.message); }

/// A callback that answers through `respond`: the value encoded with status `ok`, or the
/// error's status with `{"error": ...}`.
template <class T>
callback<T> answer(responder respond, unsigned ok) {
  return [respond = std::move(respond), ok](result<T> r) {
    if (!r) return respond(respond_error(r.error()));
    respond(response{ok, timed_codec([&] { return codec::encode(*r); })});
  };
}

}  // namespace detail

/// Adds the route of `e`: `(service.*call)(request, done)` for each request that reads, the
/// answer from `done`. `Service` is any class with such a member: a service interface or the
/// storefront.
template <class Request, class Response, carrier In, class Service>
void add_route(router& routes, endpoint<Request, Response, In> const& e, Service& service,
               void (Service::*call)(Request, callback<Response>)) {
  routes.add(e.method, e.path, [&service, call, read = e.read, ok = e.ok](request const& req, captures c, responder respond) {
    // When the request asked for its timing (server_timing.hpp), its queue ends here.
    if (auto* t = current_timing()) [[unlikely]] t->handler_started(request_timing::clock::now());
    auto in = timed_codec([&] { return read(detail::request_text<In>(req, c)); });
    if (!in) return respond(detail::respond_error(in.error()));
    (service.*call)(std::move(*in), detail::answer<Response>(std::move(respond), ok));
  });
}

}  // namespace splitbench::net

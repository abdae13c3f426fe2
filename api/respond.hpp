#pragma once
/// Turning results into responses, for every route of every process.

#include "core/error.hpp"
#include "net/codec.hpp"
#include "net/router.hpp"

namespace splitbench::api {

/// The error's status with `{"error": ...}`.
inline net::response respond_error(error const& e) { return net::error_response(http_status(e.code), e.message); }

/// The value encoded with status `ok`, or the error's status with `{"error": ...}`.
template <class T>
net::response respond_with(result<T> const& r, unsigned ok = 200) {
  if (r) return {ok, codec::encode(*r)};
  return respond_error(r.error());
}

/// A callback that answers through `respond`: the bridge from a service call to an HTTP reply.
template <class T>
callback<T> answer(net::responder respond, unsigned ok = 200) {
  return [respond = std::move(respond), ok](result<T> r) { respond(respond_with(r, ok)); };
}

}  // namespace splitbench::api

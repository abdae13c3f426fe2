#pragma once
/// An HTTP endpoint as a contract written once: its method, its path, what it takes and what it
/// answers. The caller's stub and the callee's route both read the same constant, so a path or a
/// type cannot differ between the two sides.
///
///   inline constexpr net::endpoint<quote_request, price_quote> quote{
///       .method = net::method::post, .path = "/internal/quote"};
///   inline constexpr net::endpoint<order_id, order, net::carrier::path> get_order{
///       .method = net::method::get, .path = "/internal/orders/{id}", .read = codec::parse_order_id};

#include "core/error.hpp"
#include "net/codec.hpp"
#include "net/http.hpp"

#include <cstdint>
#include <string_view>

namespace splitbench::net {

/// Where a request travels: a JSON body, the one `{id}` capture that ends the path, or the
/// query string.
enum class carrier : std::uint8_t { body, path, query };

/// One endpoint: `Request` travels as `In` says and is read by `read`; `Response` comes back as
/// a JSON body with status `ok` on success, or an error's status with `{"error": ...}`.
template <class Request, class Response, carrier In = carrier::body>
struct endpoint {
  using request = Request;
  using response = Response;
  static constexpr carrier in = In;

  net::method method = net::method::get;
  std::string_view path;  ///< a router pattern: `/internal/products/{id}`
  /// Reads the request from its text (the body, the capture or the query string).
  result<Request> (*read)(std::string_view) = &codec::decode<Request>;
  unsigned ok = 200;  ///< the status of a success (201 where something is created)
  /// Whether a call may be made twice with the same effect (a read, or a computation): what a
  /// caller may retry after a timeout or a lost connection. GETs are; a POST that only reads
  /// says so here.
  bool idempotent = false;

  constexpr bool repeatable() const noexcept { return idempotent || method == net::method::get || method == net::method::head; }
};

}  // namespace splitbench::net

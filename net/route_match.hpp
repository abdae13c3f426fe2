#pragma once
/// Which route a request takes, found once and used twice: by the server, to time the request
/// under the route's pattern (a bounded label, never the raw path), and by the router, to call
/// the route's handler with what it captured.

#include "net/http.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace splitbench::net {

/// The captured segments of a matched pattern, in order.
using captures = std::span<std::string_view const>;

/// A path has at most this many segments; a longer one matches no route.
inline constexpr std::size_t max_segments = 8;

/// What matching a request found; views into the request's path.
struct route_match {
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t route = none;  ///< index of the route, in its app's route_labels() order; none: no route
  bool path_known = false;   ///< some route has this path with another method (405, not 404)
  std::array<std::string_view, max_segments> caught{};
  std::size_t count = 0;

  net::captures captures() const noexcept { return {caught.data(), count}; }
};

/// A route as metrics name it: its method and its pattern, such as `GET /api/products/{id}`.
struct route_label {
  net::method method = method::get;
  std::string pattern;
};

}  // namespace splitbench::net

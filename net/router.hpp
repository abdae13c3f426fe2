#pragma once
/// Maps a method and a path pattern to a handler. Patterns are literal segments and `{name}`
/// captures: `/api/products/{id}`. Unknown paths answer 404, known paths with another method 405,
/// both with a JSON error body.

#include "net/http.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::net {

/// The captured segments of a matched pattern, in order.
using captures = std::span<std::string_view const>;

using handler = std::function<void(request const&, captures, responder)>;

class router {
 public:
  /// Adds a route; routes are tried in the order they were added.
  void add(net::method m, std::string_view pattern, handler h);

  /// Calls the matching handler, or answers 404/405 itself.
  void dispatch(request const& req, responder respond) const;

 private:
  struct route {
    net::method method;
    std::vector<std::string> segments;  // "{}" for a capture
    handler handle;
  };
  std::vector<route> routes_;
};

/// A JSON error response: `{"error": message}` with the status.
response error_response(unsigned status, std::string_view message);

}  // namespace splitbench::net

#pragma once
/// Maps a method and a path pattern to a handler. Patterns are literal segments and `{name}`
/// captures: `/api/products/{id}`. Unknown paths answer 404, known paths with another method 405,
/// both with a JSON error body.

#include "net/http.hpp"
#include "net/route_match.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace splitbench::net {

using handler = std::function<void(request const&, captures, responder)>;

class router {
 public:
  /// Adds a route; routes are tried in the order they were added.
  void add(net::method m, std::string_view pattern, handler h);

  /// The route `req` takes, by its index in the order added, and what it captured.
  route_match match(request const& req) const;

  /// Calls the handler of the route `m` names (as match() gave it), or answers 404/405 itself.
  void dispatch(request const& req, route_match const& m, responder respond) const;

  /// Matches and dispatches in one step.
  void dispatch(request const& req, responder respond) const { dispatch(req, match(req), std::move(respond)); }

  /// Every route's method and pattern, in the order added: the names of its metrics.
  std::vector<route_label> labels() const;

 private:
  struct route {
    net::method method;
    std::string pattern;
    std::vector<std::string> segments;  // "{}" for a capture
    handler handle;
  };
  std::vector<route> routes_;
};

/// A JSON error response: `{"error": message}` with the status.
response error_response(unsigned status, std::string_view message);

}  // namespace splitbench::net

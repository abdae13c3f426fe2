#pragma once
/// The app of most servers: requests dispatched by a router.

#include "net/router.hpp"
#include "net/server.hpp"

#include <utility>

namespace splitbench::net {

/// An app that answers through a router; per-thread apps derive from it, hold their bindings as
/// members and add their routes in their constructor.
class routed_app : public app {
 public:
  route_match match(request const& req) const override { return routes.match(req); }
  void handle(request const& req, route_match const& m, responder respond) override { routes.dispatch(req, m, std::move(respond)); }
  using app::handle;
  std::vector<route_label> route_labels() const override { return routes.labels(); }

 protected:
  router routes;
};

}  // namespace splitbench::net

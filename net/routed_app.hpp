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
  void handle(request const& req, responder respond) override { routes.dispatch(req, std::move(respond)); }

 protected:
  router routes;
};

}  // namespace splitbench::net

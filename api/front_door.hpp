#pragma once
/// The public API, identical on the monolith and the split's gateway: both add these routes
/// over a storefront; only the storefront's bindings differ.

#include "core/storefront.hpp"
#include "net/router.hpp"

namespace splitbench::api {

/// The routes of every endpoint in endpoints.hpp.
void add_public_routes(net::router& routes, storefront& shop);

}  // namespace splitbench::api

#pragma once
/// The admin endpoint: a running deployment told which faults to have, process by process.
/// Served only by processes started with --admin, on their own port, beside their other routes.
///
///   PUT    /admin/faults/{service}   body: a fault action (host/fault_action.hpp), e.g.
///                                    slow=lognormal(2ms,0.5) or error=0.05:500
///                                    204: in force from the next call, in place of any other;
///                                    400 {"error": ...}: not an action;
///                                    404 {"error": ...}: this process does not run that service
///   DELETE /admin/faults/{service}   204: off (also when it was); 404 as above
///   DELETE /admin/faults             204: every fault of this process off
///   GET    /admin/faults             200 {"services":["pricing"],"active":{"pricing":"error=1:503"}}
///
/// Services are catalog, inventory, pricing and orders. The monolith runs all four; a split
/// service process runs its own; the gateway runs none (its front door calls them over HTTP),
/// so every PUT there is a 404 and a fault is switched on the process that runs the service.
///
/// What the public API answers while `error=F:STATUS` is on (host/fault_gate.hpp), the same in
/// both builds, with `{"error":"injected fault in SERVICE: error=F:STATUS"}`:
///
///   catalog     product, search: STATUS; quote, place order: STATUS (404 becomes 400, as for
///               any unknown product in a request's body)
///   inventory   quote, place order: STATUS (404 becomes 400 likewise)
///   pricing     quote, place order: STATUS
///   orders      place order, get order: STATUS
///
/// A slow service answers later by each call's delay, in either build; in the split, a delay
/// beyond the caller's --peer-timeout (2s by default) turns into that caller's 504, as a real
/// slow peer's would.

#include "host/fault_switch.hpp"
#include "net/router.hpp"
#include "net/server.hpp"

#include <memory>

namespace splitbench::host {

/// The routes above, over `faults`.
void add_admin_routes(net::router& routes, fault_board& faults);

/// An app that answers /admin/... itself and hands every other request to `inner`.
std::unique_ptr<net::app> with_admin(std::unique_ptr<net::app> inner, fault_board& faults);

/// The admin endpoint in a paragraph, for the help pages of the binaries that serve it.
extern char const admin_help[];

}  // namespace splitbench::host

#pragma once
/// The storefront's workload: for each public route, a pool of ready-made requests drawn from
/// a seed, so that every run of a scenario sends the same varied ids, searches and bodies.

#include "bench/driver/load.hpp"
#include "bench/runner/scenario.hpp"

#include <string>

namespace splitbench::bench {

/// Requests per route in a pool. Orders get a larger one: each body is sent again and again, and
/// spreading them over more products keeps a long run from emptying any shelf.
inline constexpr std::size_t workload_pool_size = 2'048;
inline constexpr std::size_t order_pool_size = 16'384;

/// The routes with a non-zero weight, in all_routes order, each with its pool. Orders name
/// only products that start with ample stock, so a run measures the path, not "out of stock".
request_mix make_workload(scenario const& s, std::string const& host_header);

/// Which route_kind each route of make_workload's mix is, in the same order.
std::vector<route_kind> workload_routes(scenario const& s);

}  // namespace splitbench::bench

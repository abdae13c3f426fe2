#pragma once
/// The whole storefront over its own state, every service bound in-process: the monolith's path
/// as one object, for benchmarks, fuzzing and tests. (The monolith itself shares one state among
/// threads and binds per thread, so that latency can be injected per thread.)

#include "core/catalog.hpp"
#include "core/inventory.hpp"
#include "core/local.hpp"
#include "core/order_book.hpp"
#include "core/order_desk.hpp"
#include "core/pricing.hpp"
#include "core/storefront.hpp"

namespace splitbench {

struct local_storefront {
  explicit local_storefront(std::uint64_t seed = catalog::default_seed)
      : cat(seed), inv(seed, static_cast<product_id>(cat.size())), prices(cat) {}

  catalog cat;
  inventory inv;
  pricing prices;
  order_book book;
  local_catalog catalog_binding{cat};
  local_inventory inventory_binding{inv};
  local_pricing pricing_binding{prices};
  order_desk desk{catalog_binding, pricing_binding, inventory_binding, book};
  storefront front{catalog_binding, inventory_binding, pricing_binding, desk};
};

}  // namespace splitbench

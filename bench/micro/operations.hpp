#pragma once
/// The operations the micro suite measures, shared by its Google Benchmark functions and its
/// instruction-count mode, so both count exactly the same work.

#include "core/catalog.hpp"
#include "core/inventory.hpp"
#include "core/local.hpp"
#include "core/order_book.hpp"
#include "core/order_desk.hpp"
#include "core/pricing.hpp"
#include "core/storefront.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace splitbench::micro {

/// The storefront bound in-process, as in the monolith.
struct shop {
  catalog cat;
  inventory inv{catalog::default_seed, static_cast<product_id>(cat.size())};
  pricing prices{cat};
  order_book book;
  local_catalog lc{cat};
  local_inventory li{inv};
  local_pricing lp{prices};
  order_desk desk{lc, lp, li, book};
  storefront front{lc, li, lp, desk};
};

/// One measured operation: its name and one call of it; `i` varies the input.
struct operation {
  std::string name;
  std::function<void(std::uint64_t i)> run;
};

/// The in-process operations: business rules, the JSON codec, a call through the seam.
std::vector<operation> operations(shop& s);

}  // namespace splitbench::micro

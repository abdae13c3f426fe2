#pragma once
/// The operations the micro suite measures, shared by its Google Benchmark functions and its
/// instruction-count mode, so both count exactly the same work.

#include "core/local_storefront.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace splitbench::micro {

/// The storefront bound in-process, as in the monolith.
using shop = local_storefront;

/// One measured operation: its name and one call of it; `i` varies the input.
struct operation {
  std::string name;
  std::function<void(std::uint64_t i)> run;
};

/// The in-process operations: business rules, the JSON codec, a call through the seam.
std::vector<operation> operations(shop& s);

}  // namespace splitbench::micro

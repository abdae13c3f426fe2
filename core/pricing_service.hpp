#pragma once

#include "core/callback.hpp"
#include "core/types.hpp"

namespace splitbench {

/// The seam to pricing: bound in-process in the monolith, over HTTP in the split.
class pricing_service {
 public:
  virtual ~pricing_service() = default;
  /// The price of the lines for the region and tier (see pricing::quote).
  virtual void quote(quote_request request, callback<price_quote> done) = 0;
};

}  // namespace splitbench

#pragma once
/// A histogram in splitbench's JSON, written once and read back exactly: HdrHistogram's V2
/// encoding under "histogram", which any HdrHistogram reads, and beside it under
/// "histogram_totals" what V2 leaves out: {"min_ns", "max_ns", "sum_ns", "sum_squares_ns2",
/// "saturated"}. Without the totals the mean would be bucket middles' and saturation lost, and
/// `splitbench merge` could not add shards exactly.

#include "bench/driver/histogram.hpp"

#include <boost/json/object.hpp>

namespace splitbench::bench {

/// Adds "histogram" and "histogram_totals" for `h` to `o`.
void put_histogram(boost::json::object& o, histogram const& h);

/// The histogram put_histogram() wrote into `o`. Also reads the older "hist1 ..." text, and V2
/// without totals (another tool's: min and max then are their buckets' bounds). Throws
/// std::invalid_argument saying what is missing or wrong.
histogram histogram_in(boost::json::object const& o);

}  // namespace splitbench::bench

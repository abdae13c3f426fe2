#pragma once
/// HdrHistogram's standard encoding of a histogram, so that what splitbench measured can be read
/// by HdrHistogram itself (Java, C, hdr-histogram-js, HistogramLogProcessor) and what they wrote
/// by splitbench: the V2 compressed encoding in base64, a string that starts "HISTFAAA".
///
///   bytes  0..3   0x1c849314  V2 compressed cookie (0x1c849304 | 0x10: ZigZag LEB128 counts)
///          4..7   length of what follows, zlib-deflated:
///     0..3   0x1c849313  V2 cookie          4..7   length of the counts' payload
///     8..11  normalizing index offset (0)   12..15 significant digits
///     16..23 lowest discernible value (1)   24..31 highest trackable value (an integer)
///     32..39 integer-to-double ratio (a double, 1.0)
///     40..   each counter in index order, up to the last one counted: a ZigZag LEB128 of at
///            most 9 bytes, a run of n empty counters written once as -n
///   every number big-endian.
///
/// The encoding carries no exact min, max, sum or saturated count: where those matter splitbench
/// keeps histogram::totals beside it (see output.hpp) and restores them after decoding.

#include "bench/driver/histogram.hpp"

#include <string>
#include <string_view>

namespace splitbench::bench {

/// `h` in HdrHistogram's V2 compressed encoding, base64 ("HISTFAAA...").
std::string encode_v2(histogram const& h);

/// The histogram in `base64`, written by splitbench or any HdrHistogram: V2 compressed, of
/// integer values from 1 (lowest discernible value 1), 1 to 5 significant digits and a highest
/// trackable value up to 2^62. Min and max are its first and last buckets' bounds, as
/// HdrHistogram's own decoders give them. Throws std::invalid_argument saying what it is not.
histogram decode_v2(std::string_view base64);

/// Either encoding splitbench has written into its JSON: V2, or the "hist1 ..." text of
/// histogram::encode() that older results (committed baselines) hold.
histogram decode_histogram(std::string_view text);

}  // namespace splitbench::bench

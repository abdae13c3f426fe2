#pragma once
/// A load JSON (`splitbench load --json`, output.hpp) read back into the result and schedule it
/// was written from, so that shards of one schedule can be added up (`splitbench merge`).
/// Exact where merging needs it: every histogram with its totals, every count; rounded where
/// the JSON rounds (the connections' busy fraction, the driver's CPU).

#include "bench/driver/result.hpp"
#include "bench/driver/schedule.hpp"

#include <boost/json/value.hpp>

namespace splitbench::bench {

struct load_file {
  load_schedule schedule;
  load_result result;
};

/// Throws std::invalid_argument, one line, for anything that is not a load JSON of load_schema.
load_file read_load_json(boost::json::value const& document);

}  // namespace splitbench::bench

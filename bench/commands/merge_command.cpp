#include "bench/commands/commands.hpp"

#include "bench/driver/files.hpp"
#include "bench/driver/output.hpp"
#include "bench/driver/shards.hpp"
#include "cli/flags.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace splitbench::bench {

int merge_command(int argc, char** argv) {
  std::string json_file;
  cli::command table{
      .name = "splitbench merge",
      .summary = "adds up the shards of one sharded load (`load --shard I/N --start-at TIME --json`) exactly: counts and "
                 "histograms summed, percentiles taken again; exit status 2 for shards of different schedules",
      .operands = {{.name = "SHARD", .about = "a shard's load JSON; one or more, each shard once", .paths = true, .more = true}},
      .flags = {cli::required(cli::text("json", json_file, "FILE", "where the merged load JSON goes (the same schema as a shard's)"))},
      .examples = {"splitbench merge shard0.json shard1.json --json merged.json",
                   "splitbench merge shards/*.json --json all.json"},
  };
  auto files = cli::parse(argc, argv, 2, table);
  std::vector<load_file> shards;
  for (auto const& name : files) {
    try {
      boost::system::error_code ec;
      auto document = boost::json::parse(read_file(name), ec);
      if (ec) throw std::invalid_argument("not JSON: " + ec.message());
      shards.push_back(read_load_json(document));
    } catch (std::exception const& e) {  // unreadable, not JSON, not a load JSON
      throw cli::usage_error(fmt::format("{}: {}", name, e.what()));
    }
  }
  load_file merged;
  try {
    merged = merge_shards(shards, files);
  } catch (std::invalid_argument const& e) {
    throw cli::usage_error(e.what());
  }
  write_file_atomically(json_file, boost::json::serialize(to_json(merged.result, merged.schedule)) + "\n");
  fmt::print("{}", summary_text(merged.result, merged.schedule.url));
  auto missing = missing_shards(merged.schedule);
  std::fflush(stdout);
  if (!missing.empty())
    fmt::print(stderr, "splitbench merge: warning: shards {} of {} are missing: the merged figures offer {} of the rate's {} shards\n",
               fmt::join(missing, ", "), merged.schedule.shards, merged.schedule.indices.size(), merged.schedule.shards);
  return 0;
}

}  // namespace splitbench::bench

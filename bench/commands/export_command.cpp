#include "bench/commands/commands.hpp"

#include "bench/driver/files.hpp"
#include "bench/report/gbench.hpp"
#include "bench/report/report_json.hpp"
#include "cli/flags.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <stdexcept>

namespace splitbench::bench {

int export_command(int argc, char** argv) {
  std::string format, out;
  cli::command table{
      .name = "splitbench export",
      .summary = "a run report in another tool's format: Google Benchmark's JSON (gbench), for its compare.py and dashboards",
      .operands = {{"REPORT", "a report.json or the run directory holding it", true}},
      .flags = {cli::required(cli::one_of("format", format, {"gbench"},
                                          "gbench: one benchmark per deployment, route and figure (split/product/p50), one "
                                          "iteration run per repetition in microseconds, then mean, median, stddev and cv")),
                cli::with_default(cli::text("out", out, "FILE", "write it to this file, atomically"), "standard output")},
      .examples = {"splitbench export --format gbench results/latest --out latest.json",
                   "splitbench export --format gbench results/baseline/default/report.json > base.json",
                   "/usr/share/benchmark/compare.py benchmarks base.json latest.json"},
  };
  auto rest = cli::parse(argc, argv, 2, table);
  std::string text;
  try {
    text = boost::json::serialize(to_gbench(load_report(rest[0]))) + "\n";
  } catch (report_error const& e) {
    throw cli::usage_error(e.what());
  }
  if (out.empty()) {
    fmt::print("{}", text);
    return 0;
  }
  try {
    write_file_atomically(out, text);
  } catch (std::runtime_error const& e) {
    throw cli::usage_error(e.what());
  }
  return 0;
}

}  // namespace splitbench::bench

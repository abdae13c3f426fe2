#include "bench/commands/commands.hpp"

#include "bench/report/compare.hpp"
#include "bench/report/report_json.hpp"
#include "cli/flags.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace splitbench::bench {

int compare_command(int argc, char** argv) {
  std::optional<double> threshold;
  std::string format = "text";
  cli::command table{
      .name = "splitbench compare",
      .summary = "a verdict per figure (improved, regressed, unchanged, within noise); exit status 1 on a regression, 2 on unusable input",
      .operands = {{"BASE", "the earlier report: a report.json or the run directory holding it", true},
                   {"NEW", "the later report, likewise", true}},
      .flags = {cli::number("threshold", threshold, "smallest change in percent that counts, beyond the noise", "PCT",
                            "the base report's scenario gate.threshold"),
                cli::one_of("format", format, {"text", "md", "json"}, "how the table is printed")},
      .examples = {"splitbench compare results/baseline/default results/latest",
                   "splitbench compare base/report.json new/report.json --threshold 5 --format md"},
  };
  auto rest = cli::parse(argc, argv, 2, table);
  comparison c;
  try {
    auto base = load_report(rest[0]);
    auto now = load_report(rest[1]);
    c = compare_reports(base, now, threshold ? *threshold / 100 : base.scenario.gate_threshold);
  } catch (std::runtime_error const& e) {  // report_error, compare_error
    throw cli::usage_error(e.what());
  }
  if (format == "json") fmt::print("{}\n", boost::json::serialize(to_json(c)));
  else if (format == "md") fmt::print("{}", to_markdown(c));
  else fmt::print("{}", to_text(c));
  return c.regressed() ? 1 : 0;
}

}  // namespace splitbench::bench

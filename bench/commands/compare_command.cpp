#include "bench/commands/commands.hpp"

#include "bench/report/compare.hpp"
#include "bench/report/report_json.hpp"
#include "cli/options.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace splitbench::bench {

int compare_command(int argc, char** argv) {
  std::optional<double> threshold;
  std::string format = "text";
  std::vector<cli::flag> flags = {
      {"threshold", true, [&](std::string_view v) { threshold = cli::parse_positive(v, "--threshold"); }, "percent (default: the scenario's gate.threshold, 10% unless it says otherwise)"},
      {"format", true, [&](std::string_view v) {
         if (v != "text" && v != "md" && v != "json") throw cli::usage_error("--format must be text, md or json");
         format = v;
       }, "text, md or json"},
  };
  auto rest = cli::parse(argc, argv, 2, flags);
  if (rest.size() != 2) throw cli::usage_error("compare needs two reports: splitbench compare BASE NEW (report.json files or run directories)");
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

#include "bench/commands/commands.hpp"

#include "bench/report/compare.hpp"
#include "cli/options.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace splitbench::bench {

int compare_command(int argc, char** argv) {
  double threshold = 10;
  std::string format = "text";
  std::vector<cli::flag> flags = {
      {"threshold", true, [&](std::string_view v) { threshold = cli::parse_positive(v, "--threshold"); }, "percent (default 10)"},
      {"format", true, [&](std::string_view v) {
         if (v != "text" && v != "md" && v != "json") throw cli::usage_error("--format must be text, md or json");
         format = v;
       }, "text, md or json"},
  };
  auto rest = cli::parse(argc, argv, 2, flags);
  if (rest.size() != 2) throw cli::usage_error("compare needs two reports: splitbench compare BASE NEW (report.json files or run directories)");
  comparison c;
  try {
    c = compare_reports(load_report(rest[0]), load_report(rest[1]), threshold / 100);
  } catch (compare_error const& e) {
    throw cli::usage_error(e.what());
  }
  if (format == "json") fmt::print("{}\n", boost::json::serialize(to_json(c)));
  else if (format == "md") fmt::print("{}", to_markdown(c));
  else fmt::print("{}", to_text(c));
  return c.regressed() ? 1 : 0;
}

}  // namespace splitbench::bench

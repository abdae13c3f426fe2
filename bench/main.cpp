// splitbench: measures what splitting the storefront into HTTP services costs.
//
//   splitbench                      the default comparison
//   splitbench run [--scenario FILE] ...
//   splitbench up --deployment monolith|split --listen HOST:PORT
//   splitbench load URL [--rate R] [--connections C] [--threads T] [--duration D] ...

#include "bench/commands.hpp"
#include "cli/main.hpp"

#include <fmt/format.h>

#include <csignal>
#include <string_view>

namespace {

constexpr char const* usage = R"(usage: splitbench [<command> [options]]

With no command (or with run's options alone): the default comparison of monolith and split
(bench/scenarios/default.toml), its report under results/runs/<id>/ and results/latest.

commands:
  run [--scenario FILE] [--deployment monolith|split|both] [--set KEY=VALUE]... [--inject-latency SERVICE=DURATION]...
  up --deployment monolith|split --listen HOST:PORT   start a deployment until interrupted
  load URL [--rate R] [--connections C] ...            the load driver alone, against any HTTP/1.1 server
  compare BASE NEW [--threshold PCT] [--format md|json|text]   verdicts per figure; exit 1 on a regression
  floors [--rate R] [--samples N] [--json FILE]        loopback TCP round trip and in-process seam call, measured here
)";

int run(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) return splitbench::bench::run_command(argc, argv, 1);  // the default comparison
  std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    fmt::print("{}", usage);
    return 0;
  }
  if (command == "run") return splitbench::bench::run_command(argc, argv, 2);
  if (command.starts_with("--")) return splitbench::bench::run_command(argc, argv, 1);  // options alone: the default run with them
  if (command == "up") return splitbench::bench::up_command(argc, argv);
  if (command == "load") return splitbench::bench::load_command(argc, argv);
  if (command == "compare") return splitbench::bench::compare_command(argc, argv);
  if (command == "floors") return splitbench::bench::floors_command(argc, argv);
  throw splitbench::cli::usage_error("unknown command '" + std::string(command) + "'; try 'splitbench --help'");
}

}  // namespace

int main(int argc, char** argv) {
  return splitbench::cli::guarded_main("splitbench", [&] { return run(argc, argv); });
}

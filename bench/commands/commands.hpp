#pragma once
/// The subcommands of `splitbench`; each returns the process's exit status and throws
/// cli::usage_error for a command line that cannot work.

#include "bench/runner/deployment.hpp"
#include "cli/flags.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::bench {

int up_command(int argc, char** argv);
int load_command(int argc, char** argv);
int floors_command(int argc, char** argv);
/// Renders files only: nothing is started or applied.
int deploy_command(int argc, char** argv);
/// Exit status 0: nothing regressed; 1: something did; usage_error (2): unusable input.
int compare_command(int argc, char** argv);
/// Adds up the shards of one sharded load; usage_error (2) for shards it cannot add.
int merge_command(int argc, char** argv);
/// A report in another tool's format; usage_error (2) for a report that cannot be read.
int export_command(int argc, char** argv);
/// `run` and, with no arguments at all, the default comparison; options start at argv[first].
int run_command(int argc, char** argv, int first);

topology parse_deployment(std::string_view text);
/// --deployment TOPOLOGY, read by `set` (parse_deployment, or more); completion offers `named`.
cli::flag deployment_flag(std::function<void(std::string_view)> set, std::string default_text, std::string help, bool repeatable,
                          std::vector<std::string> named);

/// `--cpu-limit SERVICE=CORES`, repeatable, for run and up: each checked as given, kept in `limits`.
cli::flag cpu_limit_flag(std::vector<std::string>& limits);
/// `--network loopback|netns`, `--network-bandwidth RATE` and `--network-delay DIST`, for run and up.
std::vector<cli::flag> network_flags(std::optional<std::string>& network, std::optional<std::string>& bandwidth, std::optional<std::string>& delay);
/// Refuses --network netns where it cannot work (not root), in one line, before anything starts.
void check_network(std::string const& network);

/// `--replicas SERVICE=N`, repeatable, each checked as it is read.
cli::flag replicas_flag(std::vector<std::string>& replicas);

}  // namespace splitbench::bench

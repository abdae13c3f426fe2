#pragma once
/// Command-line parsing shared by every splitbench binary. A command is one table: its operands,
/// its flags (each with its value's form, default and meaning) and its examples. The parser, the
/// help pages, the suggestions for a mistyped name and the shell completion all read that table,
/// so what a page says and what the parser accepts cannot drift apart.
///
/// Bad input throws usage_error, whose one-line message main prints before exiting with status 2;
/// --help, -h and --version throw help_request, which main prints before exiting with status 0.

#include "cli/values.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::cli {

/// One `--name VALUE` (or `--name=VALUE`) flag, or a `--name` switch when `value` is empty.
/// The builders in cli/flags.hpp fill a flag from the variable it sets.
struct flag {
  std::string name{};  ///< without the dashes
  std::string value{};  ///< its value as help and errors name it: "DURATION", "HOST:PORT"; empty: a switch
  std::string type{};  ///< the form it accepts: "whole number from 1 to 256"
  std::string default_text{};  ///< what applies without it; empty: nothing
  std::string help{};  ///< what it means, one line
  std::function<void(std::string_view)> set{};
  bool repeatable = false;
  bool required = false;
  std::vector<std::string> choices{};  ///< its only values, when there are a few; completion offers them
};

/// An operand (URL, BASE) or a subcommand: a name and what it is.
struct item {
  std::string name{};
  std::string about{};
  bool paths = false;                ///< completion offers files
  std::vector<std::string> choices{};  ///< completion offers these words
  bool more = false;                 ///< the last operand only: one or more of it ("SHARD...")
};

/// What a command accepts and says about itself.
struct command {
  std::string name{};  ///< as typed: "splitbench load"
  std::string summary{};  ///< one line: what it does
  std::vector<item> operands{};  ///< required, in order
  std::vector<flag> flags{};
  std::vector<std::string> examples{};
  std::vector<item> commands{};  ///< for a program that dispatches: its commands
  std::string commands_title = "commands";  ///< their heading: "roles" of splitbench-service
  std::string usage{};  ///< replaces the generated synopsis (a program that dispatches)
  std::string notes{};  ///< a closing paragraph
};

/// Not a failure: --help, -h or --version was asked for. `text` goes to stdout, the exit status is 0.
struct help_request {
  command described{};  ///< the table, without its setters (they point into the caller's frame)
  std::string text{};
};

/// Applies the flags of argv[first..] and returns the operands, in order. Throws help_request
/// for --help, -h or --version anywhere before `--`; usage_error for an unknown flag (naming the
/// nearest known one), a flag missing its value or given a bad one, a required flag missing, or
/// operands missing or extra.
std::vector<std::string> parse(int argc, char const* const* argv, int first, command const& c);

/// Throws the help_request --help would: c's page.
[[noreturn]] void show_help(command const& c);

}  // namespace splitbench::cli

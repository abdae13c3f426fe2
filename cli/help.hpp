#pragma once
/// Help pages, rendered from the same command tables the parser reads.

#include "cli/options.hpp"

#include <string>

namespace splitbench::cli {

/// One line: the name, its operands, its required flags, then every other flag in brackets,
/// "..." after a repeatable one: `splitbench load URL [--rate R] [--header NAME:VALUE]...`.
std::string synopsis(command const& c);

/// The page --help prints: usage, summary, operands or commands, every flag with its form,
/// default and meaning, the built-in flags, examples and notes. Lines wrap before 100 columns.
std::string help_page(command const& c);

}  // namespace splitbench::cli

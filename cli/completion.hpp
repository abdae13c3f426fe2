#pragma once
/// Shell completion, generated from the command tables the parser reads.

#include "cli/options.hpp"

#include <string>
#include <vector>

namespace splitbench::cli {

/// A bash script (for `source` or bash-completion's directory) completing `program`: its commands
/// in first place, then each command's flags, the values of flags with a few choices, files
/// for FILE, directories for DIR, and operands that are paths. `commands` are the tables of
/// program.commands, named "PROGRAM COMMAND"; options alone complete as `default_command`'s.
std::string bash_completion(command const& program, std::vector<command> const& commands, command const& default_command);

}  // namespace splitbench::cli

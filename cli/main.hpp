#pragma once
/// The edge every splitbench binary's main goes through: help, usage errors and failures become
/// output and an exit status in one place.

#include "cli/options.hpp"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace splitbench::cli {

/// Runs `body`: a help_request becomes its text on stdout and status 0; a usage_error its one
/// line on stderr and status 2; anything else that escapes its message and status 1.
int guarded_main(char const* name, std::function<int()> const& body);

/// From now on SIGINT, SIGTERM and SIGHUP set the flag returned (and do nothing else), for a
/// command that stops cleanly when asked: the same flag for every call.
std::atomic<bool> const& stop_on_signals();

/// The table a command parses with, found by asking it for its help: `run` gets the argv
/// {words..., "--help"} and must throw help_request from its parse, before doing anything else.
command describe(std::function<int(int argc, char** argv)> const& run, std::vector<std::string> words);

}  // namespace splitbench::cli

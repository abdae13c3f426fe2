#pragma once
/// Command-line parsing shared by every splitbench binary. Bad input throws usage_error, whose
/// one-line message main prints before exiting with status 2.

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::cli {

/// A command line that cannot work; main prints what() and exits 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One `--name value` (or `--name=value`) flag, or a `--name` switch when it takes no value.
struct flag {
  std::string name;  ///< without the dashes
  bool takes_value = true;
  std::function<void(std::string_view)> set;
  std::string help;
};

/// Applies the flags of argv[first..] and returns the positional arguments, in order.
/// Throws usage_error for an unknown flag or one missing its value.
std::vector<std::string> parse(int argc, char const* const* argv, int first, std::vector<flag> const& flags);

/// "500ms", "10s", "2m", "1h", "250us", "100ns": a non-negative duration with a unit.
std::chrono::nanoseconds parse_duration(std::string_view text);

/// A whole number in [min, max].
std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max, std::string_view what);

/// A finite number > 0.
double parse_positive(std::string_view text, std::string_view what);

struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

/// "127.0.0.1:8080" or "127.0.0.1:0"; the host must be an IPv4 address (or "localhost", read as 127.0.0.1).
host_port parse_host_port(std::string_view text);

}  // namespace splitbench::cli

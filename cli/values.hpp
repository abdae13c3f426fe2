#pragma once
/// The values a command line carries (durations with units, bounded numbers, addresses), parsed
/// with one-line errors that say what was expected.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace splitbench::cli {

/// A command line that cannot work; main prints what() and exits 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// "500ms", "10s", "2m", "1h", "250us", "100ns": a non-negative duration with a unit.
std::chrono::nanoseconds parse_duration(std::string_view text);

/// The shortest exact spelling parse_duration reads back: 10s, 500ms, 2m, 0s.
std::string format_duration(std::chrono::nanoseconds d);

/// A whole number in [min, max].
std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max, std::string_view what);

/// A finite number > 0.
double parse_positive(std::string_view text, std::string_view what);

/// The shortest spelling of a number that reads back the same: 10, 0.5, 1e+06.
std::string format_number(double value);

struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

/// "127.0.0.1:8080" or "127.0.0.1:0"; the host must be an IPv4 address (or "localhost", read as 127.0.0.1).
host_port parse_host_port(std::string_view text);

/// An address to call: "127.0.0.1:9001", or a host name and a port ("catalog:8080", a Service's
/// DNS name on a cluster), the name resolved by whoever connects.
host_port parse_peer_address(std::string_view text);

}  // namespace splitbench::cli

#include "bench/commands/commands.hpp"

#include "bench/driver/files.hpp"
#include "bench/runner/floors.hpp"
#include "bench/driver/output.hpp"
#include "cli/options.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace splitbench::bench {

int floors_command(int argc, char** argv) {
  loopback_options o;
  std::string json_file;
  std::vector<cli::flag> flags = {
      {"rate", true, [&](std::string_view v) { o.rate = cli::parse_positive(v, "--rate"); }, "round trips per second"},
      {"samples", true, [&](std::string_view v) { o.samples = static_cast<std::size_t>(cli::parse_integer(v, 10, 10'000'000, "--samples")); }, ""},
      {"json", true, [&](std::string_view v) { json_file = v; }, "write the figures as JSON to this file"},
  };
  auto rest = cli::parse(argc, argv, 2, flags);
  if (!rest.empty()) throw cli::usage_error("unexpected argument '" + rest[0] + "'");
  auto rtt = loopback_round_trips(o);
  auto seam = seam_call_ns();
  fmt::print("loopback TCP round trip ({} B out, {} B back, {} per second, {} samples), microseconds:\n", o.request_bytes,
             o.response_bytes, o.rate, rtt.count());
  auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e3; };
  fmt::print("  p50 {:.1f}  p90 {:.1f}  p99 {:.1f}  max {:.1f}  mean {:.1f}\n", us(rtt.value_at_percentile(50)),
             us(rtt.value_at_percentile(90)), us(rtt.value_at_percentile(99)), us(rtt.max()), rtt.mean() / 1e3);
  fmt::print("in-process call through the seam (storefront::get_product): {:.1f} ns\n", seam);
  if (!json_file.empty()) {
    boost::json::object j{{"schema", "splitbench.floors/1"},
                          {"loopback_rtt_us", latency_json(rtt)},
                          {"loopback", {{"rate", o.rate}, {"request_bytes", o.request_bytes}, {"response_bytes", o.response_bytes}}},
                          {"seam_call_ns", seam}};
    write_file_atomically(json_file, boost::json::serialize(j) + "\n");
  }
  return 0;
}

}  // namespace splitbench::bench

#include "bench/commands/commands.hpp"

#include "bench/driver/files.hpp"
#include "bench/runner/floors.hpp"
#include "bench/driver/output.hpp"
#include "cli/flags.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace splitbench::bench {

int floors_command(int argc, char** argv) {
  loopback_options o;
  std::string json_file;
  cli::command table{
      .name = "splitbench floors",
      .summary = "a loopback TCP round trip and an in-process call through the seam, measured here: the least a hop and a call can cost",
      .flags = {cli::number("rate", o.rate, "round trips per second", "R"),
                cli::whole("samples", o.samples, 10, 10'000'000, "round trips measured"),
                cli::text("json", json_file, "FILE", "write the figures as JSON to this file")},
      .examples = {"splitbench floors", "splitbench floors --rate 5000 --samples 50000 --json floors.json"},
  };
  cli::parse(argc, argv, 2, table);
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

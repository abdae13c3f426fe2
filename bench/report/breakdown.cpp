#include "bench/report/breakdown.hpp"

#include <fmt/format.h>

#include <cmath>

namespace splitbench::bench {

std::optional<double> added_breakdown::mismatch() const noexcept {
  if (added_us == 0) return std::nullopt;
  return std::abs(parts_us() - added_us) / std::abs(added_us);
}

std::vector<added_breakdown> added_latency(breakdown_measurement const& m, std::string_view baseline) {
  std::vector<added_breakdown> out;
  breakdown_deployment const* base = nullptr;
  for (auto const& d : m.deployments)
    if (d.name == baseline) base = &d;
  if (base == nullptr) return out;
  for (auto const& d : m.deployments) {
    if (&d == base) continue;
    for (auto const& r : d.routes) {
      for (auto const& b : base->routes) {
        if (b.name != r.name || b.responses == 0 || r.responses == 0) continue;
        out.push_back({d.name, r.name, r.latency_us - b.latency_us, r.queue_us - b.queue_us, r.logic_us - b.logic_us, r.codec_us - b.codec_us,
                       r.framing_us - b.framing_us});
      }
    }
  }
  return out;
}

std::string breakdown_markdown(run_result const& run) {
  if (!run.breakdown) return {};
  auto const& m = *run.breakdown;
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "## Breakdown of the added latency\n\n");
  fmt::format_to(it,
                 "Each deployment driven for {:.0f} s at {:.0f} req/s with `X-Splitbench-Timing: 1`{}: every process reports its parts in "
                 "`Server-Timing` and each route's latency splits into queueing (the driver's wait for a connection and each process's "
                 "before its handler ran), business logic, codec (decoding and encoding bodies) and framing (HTTP framing, the kernel "
                 "and loopback on every hop: what each caller saw minus what its callee reported). Where calls run at once, the one "
                 "that finished last is the one counted. Each part is the difference of its p50 from the monolith's; the parts are "
                 "measured apart, so their sum beside the added p50 says how well they describe it. Business logic can add less than "
                 "nothing: where the split runs services' work at once in several processes, only the critical call's counts, while the "
                 "monolith runs them one after another on one thread.\n\n",
                 m.seconds, m.rate,
                 m.rounds > 1 ? fmt::format(", in {} windows of {:.2g} s, the deployments taking turns in forward, then reverse order, each "
                                            "deployment's windows merged",
                                            m.rounds, m.seconds / m.rounds)
                              : std::string());
  auto rows = added_latency(m);
  if (rows.empty()) {
    fmt::format_to(it, "No deployment was compared with a monolith.\n\n");
  } else {
    fmt::format_to(it, "| deployment | route | added p50 µs | logic | codec | framing + kernel + loopback | queueing | parts' sum | off by |\n");
    fmt::format_to(it, "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (auto const& r : rows) {
      auto off = r.mismatch();
      fmt::format_to(it, "| {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {} |\n", r.deployment, r.route, r.added_us, r.logic_us,
                     r.codec_us, r.framing_us, r.queue_us, r.parts_us(), off ? fmt::format("{:.1f}%", 100 * *off) : std::string("—"));
    }
    fmt::format_to(it, "\n");
  }
  fmt::format_to(it, "Each deployment's own parts, p50 µs:\n\n| deployment | route | latency | logic | codec | framing | queueing | responses |\n");
  fmt::format_to(it, "|---|---|---:|---:|---:|---:|---:|---:|\n");
  for (auto const& d : m.deployments)
    for (auto const& r : d.routes)
      fmt::format_to(it, "| {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {}{} |\n", d.name, r.name, r.latency_us, r.logic_us, r.codec_us,
                     r.framing_us, r.queue_us, r.responses, r.missing ? fmt::format(" ({} without timing)", r.missing) : std::string());
  fmt::format_to(it, "\n");
  return out;
}

}  // namespace splitbench::bench

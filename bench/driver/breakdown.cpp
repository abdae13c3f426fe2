#include "bench/driver/breakdown.hpp"

#include "net/server_timing.hpp"

#include <algorithm>

namespace splitbench::bench {

bool timing_breakdown::record(std::string_view server_timing, std::uint64_t latency_ns, std::uint64_t driver_queue_ns) {
  auto parts = server_timing.empty() ? std::nullopt : net::parse_server_timing(server_timing);
  if (!parts) {
    ++missing;
    return false;
  }
  auto clamp = [](std::int64_t v) { return static_cast<std::uint64_t>(std::max<std::int64_t>(v, 0)); };
  auto q = driver_queue_ns + clamp(parts->queue);
  auto l = clamp(parts->logic), c = clamp(parts->codec);
  // The front door's parts are inside what the driver saw; the rest is the hops' framing.
  auto inside = std::min(latency_ns, q + l + c);
  queue.record(q);
  logic.record(l);
  codec.record(c);
  framing.record(latency_ns - inside);
  latency.record(latency_ns);
  return true;
}

void timing_breakdown::merge(timing_breakdown const& o) {
  queue.merge(o.queue);
  logic.merge(o.logic);
  codec.merge(o.codec);
  framing.merge(o.framing);
  latency.merge(o.latency);
  missing += o.missing;
}

}  // namespace splitbench::bench

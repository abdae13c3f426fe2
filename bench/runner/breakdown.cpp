#include "bench/runner/breakdown.hpp"

namespace splitbench::bench {

breakdown_route breakdown_of(std::string name, timing_breakdown const& b) {
  auto p50 = [](histogram const& h) { return static_cast<double>(h.value_at_percentile(50)) / 1e3; };
  return {std::move(name), b.latency.count(), b.missing, p50(b.latency), p50(b.queue), p50(b.logic), p50(b.codec), p50(b.framing)};
}

breakdown_measurement measure_breakdown(std::vector<breakdown_subject> const& subjects, load_options load,
                                        std::function<load_result(std::string const&, std::function<load_result()> const&)> const& around) {
  breakdown_measurement m;
  m.rate = load.rate.value_or(0);
  m.seconds = std::chrono::duration<double>(load.duration).count();
  load.timing = true;
  for (auto const& s : subjects) {
    if (load.cancel && load.cancel->load()) break;
    load.host = s.host;
    load.port = s.port;
    auto run = [&] { return run_load(load, *s.mix); };
    auto result = around ? around(s.name, run) : run();
    breakdown_deployment d{s.name, {}};
    for (auto const& r : result.routes)
      if (r.timing) d.routes.push_back(breakdown_of(r.name, *r.timing));
    m.deployments.push_back(std::move(d));
  }
  return m;
}

}  // namespace splitbench::bench

#include "bench/runner/breakdown.hpp"

#include <algorithm>

namespace splitbench::bench {

breakdown_route breakdown_of(std::string name, timing_breakdown const& b) {
  auto p50 = [](histogram const& h) { return static_cast<double>(h.value_at_percentile(50)) / 1e3; };
  return {std::move(name), b.latency.count(), b.missing, p50(b.latency), p50(b.queue), p50(b.logic), p50(b.codec), p50(b.framing)};
}

breakdown_measurement measure_breakdown(std::vector<breakdown_subject> const& subjects, load_options load, int rounds,
                                        std::function<load_result(std::string const&, std::function<load_result()> const&)> const& around) {
  breakdown_measurement m;
  m.rate = load.rate.value_or(0);
  m.seconds = std::chrono::duration<double>(load.duration).count();
  m.rounds = std::max(1, rounds);
  load.timing = true;
  load.duration /= m.rounds;
  // Each subject's routes, by name in the order first seen, merged over the rounds.
  std::vector<std::vector<std::pair<std::string, timing_breakdown>>> merged(subjects.size());
  bool cancelled = false;
  for (int round = 0; round < m.rounds && !cancelled; ++round) {
    for (std::size_t k = 0; k < subjects.size(); ++k) {
      if (load.cancel && load.cancel->load()) {
        cancelled = true;
        break;
      }
      auto i = round % 2 == 0 ? k : subjects.size() - 1 - k;
      auto const& s = subjects[i];
      load.host = s.host;
      load.port = s.port;
      auto run = [&] { return run_load(load, *s.mix); };
      auto result = around ? around(s.name, run) : run();
      for (auto const& r : result.routes) {
        if (!r.timing) continue;
        auto& routes = merged[i];
        auto at = std::find_if(routes.begin(), routes.end(), [&](auto const& x) { return x.first == r.name; });
        if (at == routes.end()) routes.emplace_back(r.name, *r.timing);
        else at->second.merge(*r.timing);
      }
    }
  }
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    if (merged[i].empty() && cancelled) continue;
    breakdown_deployment d{subjects[i].name, {}};
    for (auto const& [name, timing] : merged[i]) d.routes.push_back(breakdown_of(name, timing));
    m.deployments.push_back(std::move(d));
  }
  return m;
}

}  // namespace splitbench::bench

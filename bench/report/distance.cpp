#include "bench/report/distance.hpp"

#include "bench/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace splitbench::bench {
namespace {

constexpr double one_ms_us = 1'000;

/// "0 (loopback's own)", "50.0 µs", "1.00 ms".
std::string round_trip_text(double us) { return us == 0 ? std::string("0 (loopback's own)") : format_us(us); }

/// The split's throughput at the SLO over the monolith's, 0 where no rate passed; empty when unknown.
std::optional<double> ratio_at(distance_answer const& a, distance_answer_point const& p) {
  if (!p.swept || !a.monolith_capacity || a.monolith_capacity->low <= 0) return std::nullopt;
  return p.throughput_ratio ? p.throughput_ratio->value : 0.0;
}

}  // namespace

std::optional<distance_answer> distance_answer_of(run_result const& run) {
  if (!run.distance) return std::nullopt;
  auto const& d = *run.distance;
  distance_answer a;
  a.monolith_capacity = d.monolith_capacity;
  a.monolith_swept = !d.monolith_sweep.empty();
  a.sweep_cpu_budget = d.sweep_cpu_budget;
  for (auto const& p : d.points) {
    distance_answer_point out;
    out.round_trip_us = p.round_trip_us;
    out.routes = routes_of(p.monolith, p.split);
    out.capacity = p.capacity;
    out.swept = !p.sweep.empty();
    if (p.capacity && d.monolith_capacity && d.monolith_capacity->low > 0) out.throughput_ratio = throughput_ratio(*p.capacity, *d.monolith_capacity);
    a.points.push_back(std::move(out));
  }
  return a;
}

std::optional<double> round_trip_from_which(distance_answer const& a, double added_us) {
  std::optional<double> from;
  for (auto const& p : a.points) {
    auto const* all = p.all();
    if (!all || std::isnan(all->added_p50.median)) continue;  // not measured: neither for nor against
    if (all->added_p50.median > added_us) {
      if (!from) from = p.round_trip_us;
    } else {
      from.reset();
    }
  }
  return from;
}

std::optional<double> round_trip_from_which_throughput(distance_answer const& a, double ratio) {
  std::optional<double> from;
  for (auto const& p : a.points) {
    auto r = ratio_at(a, p);
    if (!r) continue;
    if (*r <= ratio) {
      if (!from) from = p.round_trip_us;
    } else {
      from.reset();
    }
  }
  return from;
}

std::string distance_markdown(run_result const& run) {
  auto answered = distance_answer_of(run);
  if (!answered || answered->points.empty()) return {};
  auto const& a = *answered;
  std::size_t pairs = 0;
  for (auto const& p : run.distance->points) pairs = std::max(pairs, std::min(p.monolith.size(), p.split.size()));
  auto rate = !run.distance->points.empty() && !run.distance->points.front().split.empty() ? run.distance->points.front().split.front().rate : 0.0;
  std::string out = fmt::format(
      "\n## Network distance\n\nThe split started again at each round trip, its callers holding each direction of every call to a peer for "
      "half of it (loopback's own round trip comes on top); the monolith, which has no network between its parts, started once and measured "
      "beside every point. At each, {} paired repetitions at {:.0f} req/s in ABBA order after one discarded warm-up of the new split; "
      "*added* is the median of the paired differences with its 95% confidence interval, as in the headline.",
      pairs, rate);
  bool swept = a.monolith_swept || std::any_of(a.points.begin(), a.points.end(), [](auto const& p) { return p.swept; });
  if (swept)
    out += fmt::format(" Throughput at the SLO: p99 within {} and errors at most {}, the rate raised by the sweep's factor and then "
                       "bisected to within 10%{}; the monolith swept once.",
                       format_us(run.scenario.slo_p99_us), format_percent(run.scenario.max_error_rate), a.sweep_cpu_budget ? fmt::format(", each side held to {}", cores_text(*a.sweep_cpu_budget)) : std::string(", without a CPU budget"));
  out += "\n\n| round trip | added p50 [95% CI] | added p99 [95% CI] | split p50 | split p99 | split at the SLO | split / monolith |\n";
  out += "|---:|---:|---:|---:|---:|---:|---:|\n";
  for (auto const& p : a.points) {
    auto const* all = p.all();
    std::string capacity = !p.swept ? std::string("not swept") : p.capacity ? capacity_text(*p.capacity) : std::string("no step passed");
    std::string ratio = p.throughput_ratio ? ratio_text(*p.throughput_ratio) : p.swept && a.monolith_capacity ? std::string("0 (nothing passed)") : std::string("–");
    if (!all) {
      out += fmt::format("| {} | not measured | not measured | – | – | {} | {} |\n", round_trip_text(p.round_trip_us), capacity, ratio);
      continue;
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", round_trip_text(p.round_trip_us), with_interval(all->added_p50),
                       with_interval(all->added_p99), format_us(all->split_p50), format_us(all->split_p99), capacity, ratio);
  }
  if (a.monolith_swept)
    out += fmt::format("\nThe monolith at the SLO: {}.\n", a.monolith_capacity ? capacity_text(*a.monolith_capacity) : std::string("no step passed"));

  // Per route: each hop in sequence pays the round trip once, so the deeper routes pay it more.
  auto with_routes = std::find_if(a.points.begin(), a.points.end(), [](auto const& p) { return !p.routes.empty(); });
  auto const* first = with_routes == a.points.end() ? nullptr : &*with_routes;
  if (first && first->routes.size() > 1) {
    out += "\nAdded p50 per route (median of the paired differences; depth: internal calls in sequence):\n\n| round trip |";
    for (std::size_t i = 0; i + 1 < first->routes.size(); ++i) out += fmt::format(" {} (depth {}) |", first->routes[i].name, first->routes[i].depth);
    out += "\n|---:|";
    for (std::size_t i = 0; i + 1 < first->routes.size(); ++i) out += "---:|";
    out += "\n";
    for (auto const& p : a.points) {
      if (p.routes.empty()) continue;
      out += fmt::format("| {} |", round_trip_text(p.round_trip_us));
      for (std::size_t i = 0; i + 1 < first->routes.size(); ++i) {
        auto it = std::find_if(p.routes.begin(), p.routes.end(), [&](auto const& r) { return r.name == first->routes[i].name; });
        out += fmt::format(" {} |", it == p.routes.end() ? std::string("–") : format_us(it->added_p50.median));
      }
      out += "\n";
    }
  }

  // The answer, in a sentence or two.
  std::optional<std::pair<double, double>> largest_below;  // round trip, added p50
  auto from = round_trip_from_which(a, one_ms_us);
  for (auto const& p : a.points)
    if (auto const* all = p.all(); all && !std::isnan(all->added_p50.median) && (!from || p.round_trip_us < *from)) largest_below = {{p.round_trip_us, all->added_p50.median}};
  if (from) {
    auto const& at = *std::find_if(a.points.begin(), a.points.end(), [&](auto const& p) { return p.round_trip_us == *from; });
    out += fmt::format("\n**The split adds more than 1 ms at p50 from a round trip of {} on** ({} there, every route together)", round_trip_text(*from),
                       with_interval(at.all()->added_p50));
    out += largest_below ? fmt::format("; at {} it added {}.", round_trip_text(largest_below->first), format_us(largest_below->second)) : std::string(".");
  } else if (largest_below) {
    out += fmt::format("\n**The split adds no more than 1 ms at p50 at any round trip measured, up to {}** (there: {}, every route together).",
                       round_trip_text(largest_below->first), format_us(largest_below->second));
  }
  if (swept && a.monolith_capacity) {
    // Against the monolith's throughput at the SLO: where the split starts, where it ends, and where it stops passing at all.
    distance_answer_point const *first = nullptr, *last = nullptr;
    for (auto const& p : a.points)
      if (p.throughput_ratio) {
        if (!first) first = &p;
        last = &p;
      }
    auto none = round_trip_from_which_throughput(a, 0.0);
    auto half = round_trip_from_which_throughput(a, 0.5);
    if (first) {
      out += fmt::format(" At the SLO it serves {} the monolith's throughput at a round trip of {}", format_times(first->throughput_ratio->value),
                         round_trip_text(first->round_trip_us));
      if (last != first) out += fmt::format(" and {} at {}", format_times(last->throughput_ratio->value), round_trip_text(last->round_trip_us));
      if (half && *half > first->round_trip_us) out += fmt::format(", half the monolith's or less from {} on", round_trip_text(*half));
    }
    if (none) out += fmt::format("{}from a round trip of {} on no rate passed", first ? "; " : " At the SLO, ", round_trip_text(*none));
    if (first || none) out += ".";
  }
  out += "\n";
  return out;
}

}  // namespace splitbench::bench

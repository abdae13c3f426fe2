#include "bench/report/faults.hpp"

#include "bench/faults/impact.hpp"
#include "bench/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace splitbench::bench {
namespace {

/// At least this share of the requests due answered well: the route was kept through the fault.
constexpr double kept_availability = 0.999;

/// How a route came through a fault, in the order a sentence names them.
enum class manner { kept, slowed, server_errors, timeouts, connection_errors, unanswered, client_errors, other };

/// The failures the route does not count itself, from its timeline's slices that the fault window
/// touches, as the route's own counts are taken.
std::pair<std::uint64_t, std::uint64_t> unanswered_and_4xx(fault_route const& r, fault_measurement const& f) {
  std::uint64_t unanswered = 0, client = 0;
  for (auto const& s : r.timeline)
    if (s.start_s + f.slice_s > f.at_s && s.start_s < std::max(f.window_end_s, f.at_s + 1e-9)) unanswered += s.unanswered, client += s.client_errors;
  return {unanswered, client};
}

/// By what failed most in the fault window; 5xx first where kinds tie.
manner manner_of(fault_route const& r, fault_measurement const& f, double slo_p99_us) {
  if (r.availability >= kept_availability) return r.p99_during_us > slo_p99_us ? manner::slowed : manner::kept;
  auto [unanswered, client] = unanswered_and_4xx(r, f);
  auto most = std::max({r.status_5xx, r.timeouts, r.connection_errors, unanswered, client});
  if (most == 0) return manner::other;
  if (r.status_5xx == most) return manner::server_errors;
  if (r.timeouts == most) return manner::timeouts;
  if (r.connection_errors == most) return manner::connection_errors;
  return unanswered == most ? manner::unanswered : manner::client_errors;
}

/// "a", "a and b", "a, b and c".
std::string listing(std::vector<std::string> const& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

/// The routes by name, or "every route" when they are all the run had.
std::string route_names(std::vector<fault_route const*> const& routes, std::size_t of) {
  if (routes.size() == of && of > 1) return "every route";
  std::vector<std::string> names;
  for (auto const* r : routes) names.push_back(r->name);
  return listing(names);
}

std::string listing_of(std::vector<fault_route const*> const& routes) { return route_names(routes, 0); }

/// "99.95%" or "0%–37.5%" over a group of routes.
std::string availability_range(std::vector<fault_route const*> const& routes) {
  auto [lo, hi] = std::minmax_element(routes.begin(), routes.end(), [](auto* a, auto* b) { return a->availability < b->availability; });
  auto low = format_availability((*lo)->availability), high = format_availability((*hi)->availability);
  return low == high ? low : low + "–" + high;
}

/// The largest of a figure over a group, "up to" when they differ.
template <class Get> std::string largest(std::vector<fault_route const*> const& routes, Get get, std::string (*format)(double)) {
  double most = 0;
  bool differ = false;
  for (auto const* r : routes) most = std::max(most, get(*r));
  for (auto const* r : routes) differ = differ || format(get(*r)) != format(most);
  return (differ ? "up to " : "") + format(most);
}

/// How a route came through, and whether a route that failed kept half its requests or more.
struct outcome {
  manner how = manner::kept;
  bool partly = false;
  friend auto operator<=>(outcome const&, outcome const&) = default;
};

outcome outcome_of(fault_route const& r, fault_measurement const& f, double slo_p99_us) {
  auto how = manner_of(r, f, slo_p99_us);
  return {how, how != manner::kept && how != manner::slowed && r.availability >= 0.5};
}

std::string group_phrase(outcome o, std::vector<fault_route const*> const& g, std::size_t of, double slo_p99_us) {
  auto names = (o.partly ? "some requests of " : "") + route_names(g, of);
  auto available = availability_range(g);
  auto p99 = largest(g, [](fault_route const& r) { return r.p99_during_us; }, format_us);
  bool any_outage = std::any_of(g.begin(), g.end(), [](auto* r) { return r->outage_s > 0; });
  auto during = any_outage ? " for " + largest(g, [](fault_route const& r) { return r.outage_s; }, format_seconds) : std::string();
  auto details = fmt::format("({} answered, p99 {})", available, p99);
  switch (o.how) {
    case manner::kept: return fmt::format("kept {} at {}", names, available);
    case manner::slowed: return fmt::format("slowed {}{} {}", names, during, details);
    case manner::server_errors: {
      bool fast = std::all_of(g.begin(), g.end(), [&](auto* r) { return r->p99_during_us <= slo_p99_us; });
      return fmt::format("failed {}{}, {} with 5xx {}", names, during, fast ? "fast" : "slowly", details);
    }
    case manner::timeouts: return fmt::format("lost {}{} to timeouts {}", names, during, details);
    case manner::connection_errors: return fmt::format("lost {}{} to connection errors {}", names, during, details);
    case manner::unanswered: return fmt::format("left {} unanswered{} {}", names, during, details);
    case manner::client_errors: return fmt::format("failed {}{} with 4xx {}", names, during, details);
    case manner::other: return fmt::format("lost {}{} {}", names, during, details);
  }
  return names;
}

std::string process_name(std::string const& p) { return p == "monolith" ? "the monolith" : p; }

/// What ended the fault window, as "back ... after <this>".
std::string window_end_event(fault_measurement const& f) {
  for (auto const& r : f.restarts)
    if (r.process == f.process && r.ready_s && std::fabs(*r.ready_s - f.window_end_s) < 1e-6) return process_name(f.process) + " was ready again";
  if (f.kind == "hang") return process_name(f.process) + " resumed";
  return "the fault ended";
}

bool restarted(fault_measurement const& f) {
  return std::any_of(f.restarts.begin(), f.restarts.end(), [&](auto const& r) { return r.process == f.process && r.spawn_s; });
}

/// "the split kept product and search at 100% and failed quote and order ..., back 0.25 s after pricing was ready again".
std::string deployment_clause(std::string const& name, fault_measurement const& f, double slo_p99_us) {
  std::map<outcome, std::vector<fault_route const*>> groups;
  for (auto const& r : f.routes) groups[outcome_of(r, f, slo_p99_us)].push_back(&r);
  std::vector<std::string> parts;
  for (auto const& [o, g] : groups) parts.push_back(group_phrase(o, g, f.routes.size(), slo_p99_us));
  auto text = fmt::format("the {} {}", name, parts.empty() ? std::string("measured no route") : listing(parts));

  std::vector<fault_route const*> back, never;
  for (auto const& r : f.routes) {
    if (manner_of(r, f, slo_p99_us) == manner::kept) continue;
    (r.time_to_available_s ? back : never).push_back(&r);
  }
  if (!back.empty()) {
    bool at_once = std::all_of(back.begin(), back.end(), [](auto* r) { return *r->time_to_available_s == 0; });
    auto when = at_once ? std::string("as soon as ") : largest(back, [](fault_route const& r) { return *r.time_to_available_s; }, format_seconds) + " after ";
    text += fmt::format(", {}answering again {}{}", never.empty() ? "" : route_names(back, f.routes.size()) + " ", when, window_end_event(f));
  }
  if (!never.empty()) {
    bool none = never.size() == f.routes.size() && never.size() > 1;
    text += fmt::format(", {} before the run ended", none ? std::string("none recovered") : listing_of(never) + " never recovered");
    if (!restarted(f) && f.kind != "hang") text += fmt::format(" ({} was not restarted)", process_name(f.process));
  }
  return text;
}

std::string subject(fault_measurement const& f) {
  auto verb = f.kind == "kill" ? "killed" : f.kind == "term" ? "terminated" : f.kind == "hang" ? "hung" : f.kind.c_str();
  return fmt::format("{} {} at {}{}", f.service, verb, format_seconds(f.at_s), f.for_s ? " for " + format_seconds(*f.for_s) : "");
}

fault_measurement const* any_side(fault_sides const& f) {
  for (auto const& [name, m] : f.sides)
    if (m) return m;
  return nullptr;
}

/// The time a route took to answer well again, or to be healthy again (its p99 back too): "0.25 s",
/// "never" when the run ended first, "–" when no slice of it turned unhealthy.
std::string recovery_cell(fault_route const& r, std::optional<double> fault_route::*figure) {
  if (!r.time_to_detect_s) return "–";
  return r.*figure ? format_seconds(*(r.*figure)) : "never";
}

fault_route const* route_named(fault_measurement const& m, std::string const& name) {
  for (auto const& r : m.routes)
    if (r.name == name) return &r;
  return nullptr;
}

void routes_table(std::string& out, fault_sides const& f, fault_measurement const& first) {
  auto o = std::back_inserter(out);
  fmt::format_to(o, "| route |");
  for (auto const& [name, m] : f.sides) fmt::format_to(o, " {0} available | {0} p99 during | {0} answering again | {0} time to recover |", name);
  fmt::format_to(o, "\n|---|");
  for (std::size_t i = 0; i < f.sides.size(); ++i) fmt::format_to(o, "---:|---:|---:|---:|");
  fmt::format_to(o, "\n");
  bool marked = false;
  for (auto const& route : first.routes) {
    bool uses = false;
    for (auto const& [name, m] : f.sides)
      if (auto const* r = m ? route_named(*m, route.name) : nullptr) uses = uses || r->uses_target;
    marked = marked || uses;
    fmt::format_to(o, "| {}{} |", route.name, uses ? " †" : "");
    for (auto const& [name, m] : f.sides) {
      auto const* r = m ? route_named(*m, route.name) : nullptr;
      if (!r) fmt::format_to(o, " – | – | – | – |");
      else
        fmt::format_to(o, " {} | {} | {} | {} |", format_availability(r->availability), format_us(r->p99_during_us),
                       recovery_cell(*r, &fault_route::time_to_available_s), recovery_cell(*r, &fault_route::time_to_recover_s));
    }
    fmt::format_to(o, "\n");
  }
  if (marked) fmt::format_to(o, "\n† {} is on the route's call graph in the split.\n", first.service);
}

std::string at_s(std::optional<double> t) { return t ? format_seconds(*t) : std::string(); }

/// "pricing exited at 3 s (killed by signal 9) → spawned 4 s → listening 4.01 s → ready 4.02 s → first good answer 4.25 s".
std::string restart_line(restart_record const& r) {
  auto text = fmt::format("{} exited at {} ({})", r.process, format_seconds(r.exit_s), r.how);
  if (!r.spawn_s) return text + " → not started again in the window";
  text += " → spawned " + at_s(r.spawn_s);
  if (!r.listening_s) return text + " → never listening";
  text += " → listening " + at_s(r.listening_s);
  if (!r.ready_s) return text + " → never ready";
  text += " → ready " + at_s(r.ready_s);
  return text + (r.first_good_s ? " → first good answer " + at_s(r.first_good_s) : std::string(" → no good answer after"));
}

void fault_subsection(std::string& out, fault_sides const& f, double slo_p99_us) {
  auto const* first = any_side(f);
  auto o = std::back_inserter(out);
  fmt::format_to(o, "\n### {} (restart: {})\n\n", f.spec, first->restart ? "always" : "never");
  fmt::format_to(o, "**{}**\n\n", fault_headline(f, slo_p99_us));
  std::vector<std::string> windows;
  for (auto const& [name, m] : f.sides)
    if (m) windows.push_back(fmt::format("{} {}–{}", name, format_seconds(m->at_s), format_seconds(m->window_end_s)));
  fmt::format_to(o, "At {} for {} in {} slices; the fault window: {}.\n\n", format_rate(first->rate), format_seconds(first->seconds),
                 format_seconds(first->slice_s), listing(windows));
  routes_table(out, f, *first);

  std::vector<std::string> radius;
  for (auto const& [name, m] : f.sides)
    if (m) {
      std::vector<fault_route const*> broken;
      for (auto const& r : m->routes)
        if (r.broken) broken.push_back(&r);
      radius.push_back(fmt::format("{}: {}", name, broken.empty() ? std::string("none") : route_names(broken, m->routes.size())));
    }
  std::string radii;
  for (auto const& r : radius) radii += (radii.empty() ? "" : "; ") + r;
  fmt::format_to(o, "\nBlast radius (available under 99% or p99 during above {}): {}.\n", format_us(slo_p99_us), radii);

  bool any = false;
  for (auto const& [name, m] : f.sides)
    if (m)
      for (auto const& r : m->restarts) {
        if (!any) fmt::format_to(o, "\nRestarts, in seconds from the start of the window:\n\n");
        any = true;
        fmt::format_to(o, "- {}: {}\n", name, restart_line(r));
      }
  if (!any) fmt::format_to(o, "\nNo process exited.\n");
}

}  // namespace

std::vector<fault_sides> faults_of(run_result const& run) {
  auto specs = run.scenario.faults;
  if (specs.empty())  // a report from before the scenario listed its faults: the deployments' own runs
    for (auto const& d : run.deployments)
      if (d.faults.size() > specs.size()) {
        specs.clear();
        for (auto const& m : d.faults) specs.push_back(m.spec);
      }
  std::vector<fault_sides> out;
  std::map<std::string, int> seen;
  for (auto const& spec : specs) {
    int n = seen[spec]++;
    fault_sides f{spec, {}};
    for (auto const& d : run.deployments) {
      fault_measurement const* match = nullptr;
      int k = 0;
      for (auto const& m : d.faults)
        if (m.spec == spec && k++ == n) match = &m;
      f.sides.emplace_back(d.name, match);
    }
    if (any_side(f)) out.push_back(std::move(f));
  }
  return out;
}

std::string fault_headline(fault_sides const& f, double slo_p99_us) {
  auto const* first = any_side(f);
  if (!first) return f.spec + ": not measured.";
  // The deployments that are the question first, the monolith they are compared with last.
  auto sides = f.sides;
  std::stable_partition(sides.begin(), sides.end(), [](auto const& s) { return s.first != "monolith"; });
  std::vector<std::string> clauses;
  for (auto const& [name, m] : sides)
    clauses.push_back(m ? deployment_clause(name, *m, slo_p99_us) : fmt::format("the {} has no run of it", name));
  std::string text = subject(*first) + ": ";
  for (std::size_t i = 0; i < clauses.size(); ++i) text += (i ? "; " : "") + clauses[i];
  return text + ".";
}

std::string faults_markdown(run_result const& run) {
  auto faults = faults_of(run);
  if (faults.empty()) return {};
  auto slo = run.scenario.slo_p99_us;
  std::string out = fmt::format(
      "\n## Faults\n\nEach fault acted inside an open-loop run of its own against each deployment, recorded in slices by due time, while a "
      "supervisor restarted what died (unless its policy was never). The driver holds a connection for every request that may be "
      "waiting, so no request queues behind a stalled one, and a request due while the front door refuses connections fails at once, "
      "as its user's would. The fault window runs from the fault to its end: its length elapsed, or the process it stopped restarted "
      "and ready. *available* is the share of the requests due in the slices the window touches that were answered well (status < "
      "400, within the timeout of their due time); *p99 during* is theirs, failures included at the time they failed; *answering "
      "again* runs from the window's end to the first of {0} slices in a row with 99.9% answered well; *time to recover* to the first "
      "of {0} healthy slices in a row (99.9% answered well and p99 within 1.2× the noisiest slice's p99 before the fault); *never* "
      "when the run ended first. Times are to within a slice. A route is kept when 99.9% of it was answered well with p99 within the "
      "SLO of {1}.\n",
      healthy_in_a_row, format_us(slo));
  for (auto const& f : faults) fault_subsection(out, f, slo);
  return out;
}

}  // namespace splitbench::bench

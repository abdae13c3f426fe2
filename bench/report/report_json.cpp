#include "bench/report/report_json.hpp"

#include "bench/driver/files.hpp"
#include "bench/driver/hdr_codec.hpp"
#include "bench/report/distance.hpp"
#include "bench/report/format.hpp"
#include "bench/report/payload.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <sys/stat.h>

namespace splitbench::bench {
namespace json = boost::json;

namespace {

// Each struct's fields are named once, in describe(), for writing and reading alike: the writer
// and the reader are visitors, so the two can never disagree on a name.
//
// A field added to the schema after reports of it were kept (`v.added`) is written always and
// read where present: an older report of the same schema lacks it and reads as having none.

/// A flag written as one of two words, as a policy reads better than true or false.
struct words {
  bool& value;
  char const* yes;
  char const* no;
};

template <class V> void describe(V& v, latency_summary& s) {
  v("count", s.count), v("min", s.min), v("mean", s.mean), v("stddev", s.stddev), v("p50", s.p50), v("p75", s.p75);
  v("p90", s.p90), v("p99", s.p99), v("p999", s.p999), v("p9999", s.p9999), v("max", s.max);
}

template <class V> void describe(V& v, route_measurement& r) {
  v("depth", r.depth), v("calls", r.calls), v("responses", r.responses), v("errors", r.errors);
  v("latency_us", r.latency), v("service_time_us", r.service_time), v("histogram", r.histogram);
}

template <class V> void describe(V& v, process_cpu& p) { v("name", p.name), v("seconds", p.seconds); }

template <class V> void describe(V& v, run_measurement& r) {
  v("rate", r.rate), v("seconds", r.seconds), v("throughput_rps", r.throughput_rps), v("error_rps", r.error_rps);
  v("requests", r.requests), v("responses", r.responses), v("errors", r.errors), v("timeouts", r.timeouts);
  v("unsent", r.unsent), v("late", r.late), v("in_flight_at_end", r.in_flight_at_end), v("error_rate", r.error_rate);
  v("latency_us", r.latency), v("good_latency_us", r.good_latency), v("service_time_us", r.service_time);
  v("send_lag_us", r.send_lag), v("queue_wait_us", r.queue_wait), v("hiccups_us", r.hiccups), v("histogram", r.histogram);
  v.keyed("routes", r.routes);
  v("cpu", r.cpu), v("cpu_seconds_total", r.cpu_seconds_total), v("cpu_us_per_request", r.cpu_us_per_request);
  v("driver_utilisation", r.driver_utilisation), v("connections_busy", r.connections_busy), v("warnings", r.warnings);
  v("cancelled", r.cancelled);
}

template <class V> void describe(V& v, sweep_step& s) {
  v("rate", s.rate), v("outcome", s.outcome), v("p99_us", s.p99_us), v("error_rate", s.error_rate);
  v("throughput_rps", s.throughput_rps), v("reason", s.reason), v("attempts", s.attempts);
}

template <class V> void describe(V& v, capacity_bounds& c) { v("low_rps", c.low), v("high_rps", c.high); }
template <class V> void describe(V& v, process_info& p) { v("name", p.name), v("address", p.address), v("peak_rss_bytes", p.peak_rss_bytes); }

template <class V> void describe(V& v, slice_figures& s) {
  v("start_s", s.start_s), v("due", s.due), v("good", s.good), v("client_errors", s.client_errors), v("server_errors", s.server_errors);
  v("timeouts", s.timeouts), v("connection_errors", s.connection_errors), v("unanswered", s.unanswered), v("p50_us", s.p50_us), v("p99_us", s.p99_us);
}

template <class V> void describe(V& v, restart_record& r) {
  v("process", r.process), v("exit_s", r.exit_s), v("how", r.how), v("spawn_s", r.spawn_s), v("listening_s", r.listening_s);
  v("ready_s", r.ready_s), v("first_good_s", r.first_good_s);
}

template <class V> void describe(V& v, fault_route& r) {
  v("uses_target", r.uses_target), v("availability", r.availability), v("p99_during_us", r.p99_during_us);
  v("pre_fault_p99_us", r.pre_fault_p99_us), v("time_to_detect_s", r.time_to_detect_s), v("outage_s", r.outage_s);
  v("time_to_recover_s", r.time_to_recover_s), v("broken", r.broken), v("status_5xx", r.status_5xx), v("timeouts", r.timeouts);
  v("connection_errors", r.connection_errors), v("timeline", r.timeline);
  v.added("time_to_available_s", r.time_to_available_s);
}

template <class V> void describe(V& v, fault_measurement& f) {
  v("spec", f.spec), v("service", f.service), v("kind", f.kind), v("at_s", f.at_s), v("for_s", f.for_s), v("window_end_s", f.window_end_s);
  v("process", f.process), v("restart", words{f.restart, "always", "never"}), v("rate_rps", f.rate), v("seconds", f.seconds);
  v("slice_s", f.slice_s), v("restarts", f.restarts);
  v.keyed("routes", f.routes);
  v("blast_radius", f.blast_radius), v("call_graph", f.call_graph), v("warnings", f.warnings);
}

template <class V> void describe(V& v, scaling_point& p) {
  v("replicas", p.replicas), v("cores", p.cores), v("sweep", p.sweep), v("throughput_at_slo_bounds", p.capacity), v("cores_used", p.cores_used);
  v("peak_rss_bytes", p.peak_rss_bytes), v("replica_requests", p.replica_requests);
}

template <class V> void describe(V& v, scaling_measurement& s) {
  v("process", s.process), v("cores_per_replica", s.cores_per_replica), v("rate", s.rate), v("points", s.points);
}

template <class V> void describe(V& v, distance_point& p) {
  v("round_trip_us", p.round_trip_us), v("monolith", p.monolith), v("split", p.split), v("sweep", p.sweep);
  v("throughput_at_slo_bounds", p.capacity);
}

template <class V> void describe(V& v, distance_measurement& d) {
  v("points", d.points), v("monolith_sweep", d.monolith_sweep), v("monolith_throughput_at_slo_bounds", d.monolith_capacity);
  v("sweep_cpu_budget", d.sweep_cpu_budget);
}

template <class V> void describe(V& v, breakdown_route& r) {
  v("name", r.name), v("responses", r.responses), v("missing", r.missing), v("latency_p50_us", r.latency_us), v("queue_p50_us", r.queue_us);
  v("logic_p50_us", r.logic_us), v("codec_p50_us", r.codec_us), v("framing_p50_us", r.framing_us);
}

template <class V> void describe(V& v, breakdown_deployment& d) { v("name", d.name), v("routes", d.routes); }

template <class V> void describe(V& v, breakdown_measurement& b) {
  v("rate", b.rate), v("seconds", b.seconds), v("deployments", b.deployments);
  v.added("rounds", b.rounds);
}

template <class V> void describe(V& v, deployment_measurement& d) {
  v("processes", d.processes), v("peak_rss_bytes", d.peak_rss_bytes), v("failure", d.failure), v("warmup", d.warmup);
  v("compare", d.compare), v("compare_order", d.compare_order), v("sweep", d.sweep), v("throughput_at_slo_bounds", d.capacity);
  v.added("faults", d.faults);
  v.added("sweep_cpu_budget", d.sweep_cpu_budget);
  v.added("scaling", d.scaling);
  v.added("target", d.target);
  v.added("resources_measured", d.resources_measured);
}

template <class V> void describe(V& v, floors_measurement& f) {
  v("loopback_rtt_us", f.loopback_rtt), v("seam_call_ns", f.seam_call_ns);
  v.added("target_rtt_us", f.target_rtt), v.added("target", f.target);
}
template <class V> void describe(V& v, machine_description& m) {
  v("cpu_model", m.cpu_model), v("cores", m.cores), v("kernel", m.kernel), v("memory_bytes", m.memory_bytes);
}
template <class V> void describe(V& v, build_description& b) {
  v("compiler", b.compiler), v("build_type", b.build_type), v("commit", b.commit), v("dirty", b.dirty);
}
template <class V> void describe(V& v, scenario_description& s) {
  v("name", s.name), v("source", s.source), v("toml", s.toml), v("slo_p99_us", s.slo_p99_us), v("sweep_max", s.sweep_max);
  v("max_error_rate", s.max_error_rate), v("inject_latency", s.inject_latency), v("gate_threshold", s.gate_threshold);
  v.added("faults", s.faults);
}

template <class V> void describe(V& v, run_result& r) {
  v("id", r.id), v("created", r.created), v("partial", r.partial), v("machine", r.machine), v("build", r.build);
  v("scenario", r.scenario), v("floors", r.floors);
  v.added("network", r.network);
  v.keyed("deployments", r.deployments);
  v.added("distance", r.distance);
  v.added("payload", r.payload);
  v.added("breakdown", r.breakdown);
  v("warnings", r.warnings);
}

std::string name_of_keyed(route_measurement const& r) { return r.name; }
std::string name_of_keyed(fault_route const& r) { return r.name; }
std::string name_of_keyed(deployment_measurement const& d) { return d.name; }
void set_name(route_measurement& r, std::string n) { r.name = std::move(n); }
void set_name(fault_route& r, std::string n) { r.name = std::move(n); }
void set_name(deployment_measurement& d, std::string n) { d.name = std::move(n); }

struct writer {
  json::object out;

  template <class T> void operator()(char const* key, T& value) { out[key] = to_value(value); }
  void operator()(char const* key, words w) { out[key] = w.value ? w.yes : w.no; }
  template <class T> void added(char const* key, T& value) { (*this)(key, value); }
  /// A list of named things as an object keyed by name, in order.
  template <class T> void keyed(char const* key, std::vector<T>& items) {
    json::object o;
    for (auto& item : items) o[name_of_keyed(item)] = to_value(item);
    out[key] = std::move(o);
  }

  template <class T> static json::value to_value(T& value) {
    if constexpr (std::is_same_v<T, bool> || std::is_arithmetic_v<T>) {
      return json::value(value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      return json::value(value);
    } else if constexpr (std::is_same_v<T, step_outcome>) {
      return json::value(std::string(name_of(value)));
    } else if constexpr (requires { value.has_value(); *value; }) {
      return value ? to_value(*value) : json::value(nullptr);
    } else if constexpr (requires { value.begin(); value.size(); }) {
      json::array a;
      for (auto& x : value) a.push_back(to_value(x));
      return a;
    } else {
      writer w;
      describe(w, value);
      return std::move(w.out);
    }
  }
};

struct reader {
  json::object const& in;
  std::string path;

  [[noreturn]] void fail(std::string const& key, std::string const& what) const {
    throw report_error(fmt::format("'{}{}' {}", path.empty() ? "" : path + ".", key, what));
  }

  template <class T> void operator()(char const* key, T& value) const {
    auto const* v = in.if_contains(key);
    if (!v) fail(key, "is missing");
    from_value(*v, value, path.empty() ? std::string(key) : path + "." + key);
  }
  void operator()(char const* key, words w) const {
    auto const* v = in.if_contains(key);
    if (!v) fail(key, "is missing");
    if (v->is_string() && v->get_string() == w.yes) w.value = true;
    else if (v->is_string() && v->get_string() == w.no) w.value = false;
    else fail(key, fmt::format("is not \"{}\" or \"{}\"", w.yes, w.no));
  }
  template <class T> void added(char const* key, T& value) const {
    if (in.contains(key)) (*this)(key, value);
  }
  template <class T> void keyed(char const* key, std::vector<T>& items) const {
    auto const* v = in.if_contains(key);
    if (!v || !v->is_object()) fail(key, "is missing or not an object");
    for (auto const& [name, item] : v->get_object()) {
      T t;
      from_value(item, t, (path.empty() ? std::string(key) : path + "." + key) + "." + std::string(name));
      set_name(t, std::string(name));
      items.push_back(std::move(t));
    }
  }

  template <class T> static void from_value(json::value const& v, T& out, std::string const& at) {
    auto bad = [&](char const* what) { throw report_error(fmt::format("'{}' {}", at, what)); };
    if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_bool()) bad("is not true or false");
      out = v.get_bool();
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!v.is_number()) bad("is not a number");
      out = v.to_number<double>();
      if (!std::isfinite(out)) bad("is not a finite number");
    } else if constexpr (std::is_integral_v<T>) {
      if (!v.is_int64() && !v.is_uint64()) bad("is not a whole number");
      if (v.is_int64() && v.get_int64() < 0 && std::is_unsigned_v<T>) bad("is negative");
      out = static_cast<T>(v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64()));
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!v.is_string()) bad("is not a string");
      out = std::string(v.get_string());
    } else if constexpr (std::is_same_v<T, step_outcome>) {
      if (!v.is_string()) bad("is not a string");
      for (auto o : {step_outcome::passed, step_outcome::failed, step_outcome::inconclusive})
        if (v.get_string() == name_of(o)) return void(out = o);
      bad("is not passed, failed or inconclusive");
    } else if constexpr (requires { out.has_value(); out.emplace(); }) {
      if (v.is_null()) return void(out.reset());
      from_value(v, out.emplace(), at);
    } else if constexpr (requires { out.push_back(out.front()); }) {
      if (!v.is_array()) bad("is not a list");
      std::size_t i = 0;
      for (auto const& x : v.get_array()) from_value(x, out.emplace_back(), fmt::format("{}[{}]", at, i++));
    } else {
      if (!v.is_object()) bad("is not an object");
      reader r{v.get_object(), at};
      describe(r, out);
    }
  }
};

/// Every histogram a run carries must decode: a corrupted one is an unusable report, found now.
void check_histograms(run_result const& run) {
  auto check = [](std::string const& encoded, std::string const& where) {
    try {
      (void)decode_histogram(encoded);
    } catch (std::exception const& e) {
      throw report_error(fmt::format("'{}' does not decode: {}", where, e.what()));
    }
  };
  for (auto const& d : run.deployments) {
    auto runs = [&](std::vector<run_measurement> const& list, std::string const& what) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        auto at = fmt::format("deployments.{}.{}[{}]", d.name, what, i);
        check(list[i].histogram, at + ".histogram");
        for (auto const& r : list[i].routes) check(r.histogram, at + ".routes." + r.name + ".histogram");
      }
    };
    runs(d.compare, "compare");
    for (std::size_t s = 0; s < d.sweep.size(); ++s) runs(d.sweep[s].attempts, fmt::format("sweep[{}].attempts", s));
  }
  if (!run.distance) return;
  auto runs = [&](std::vector<run_measurement> const& list, std::string const& at) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      check(list[i].histogram, fmt::format("{}[{}].histogram", at, i));
      for (auto const& r : list[i].routes) check(r.histogram, fmt::format("{}[{}].routes.{}.histogram", at, i, r.name));
    }
  };
  for (std::size_t k = 0; k < run.distance->points.size(); ++k) {
    auto const& p = run.distance->points[k];
    runs(p.monolith, fmt::format("distance.points[{}].monolith", k));
    runs(p.split, fmt::format("distance.points[{}].split", k));
  }
}

/// A fault run's figures must make sense: an availability is a fraction, a window ends after it begins.
void check_faults(run_result const& run) {
  for (auto const& d : run.deployments)
    for (std::size_t i = 0; i < d.faults.size(); ++i) {
      auto const& f = d.faults[i];
      auto at = fmt::format("deployments.{}.faults[{}]", d.name, i);
      if (f.slice_s <= 0) throw report_error(fmt::format("'{}.slice_s' is not positive", at));
      if (f.window_end_s < f.at_s) throw report_error(fmt::format("'{}.window_end_s' is before its at_s", at));
      for (auto const& r : f.routes)
        if (r.availability < 0 || r.availability > 1)
          throw report_error(fmt::format("'{}.routes.{}.availability' is not between 0 and 1", at, r.name));
    }
}

json::value interval_json(median_interval const& m) {
  if (m.n == 0) return nullptr;
  return json::array{round2(m.low), round2(m.high)};
}
json::value optional_json(std::optional<double> const& x) { return x ? json::value(*x) : json::value(nullptr); }

/// A comparison's routes and overall figures into `out`.
void comparison_json(json::object& out, std::vector<route_answer> const& routes_of, std::optional<overall_answer> const& overall_of) {
  json::object routes;
  for (auto const& r : routes_of) {
    json::object o{{"monolith_p50_us", round2(r.monolith_p50)}, {"monolith_p99_us", round2(r.monolith_p99)},
                   {"split_p50_us", round2(r.split_p50)},       {"split_p99_us", round2(r.split_p99)},
                   {"added_p50_us", round2(r.added_p50.median)}, {"added_p50_us_ci95", interval_json(r.added_p50)},
                   {"added_p99_us", round2(r.added_p99.median)}, {"added_p99_us_ci95", interval_json(r.added_p99)},
                   {"added_p50_us_by_repetition", json::value_from(r.added_p50_by_repetition)}};
    if (r.name != "all") o["depth"] = r.depth, o["internal_calls"] = r.calls;
    routes[r.name] = std::move(o);
  }
  if (!routes_of.empty()) out["routes"] = std::move(routes);
  if (overall_of) {
    auto const& o = *overall_of;
    json::object per_hop{{"one_call_route_us", optional_json(o.per_hop.one_call_route_us)},
                         {"vs_loopback", o.per_hop.vs_loopback},
                         {"fit_per_depth_us", optional_json(o.per_hop.per_depth_us)},
                         {"fit_per_call_us", optional_json(o.per_hop.per_call_us)},
                         {"fit_residuals_us", [&] {
                            json::object res;
                            for (auto const& [route, x] : o.per_hop.residuals_us) res[route] = x;
                            return res;
                          }()},
                         {"method", "one hop: the added p50 of the route with one internal call; fit: least squares of added p50 = "
                                    "per_depth x depth + per_call x calls over the routes"}};
    json::object overall{{"added_p50_us", round2(o.added_p50.median)},
                         {"added_p50_us_ci95", interval_json(o.added_p50)},
                         {"added_p99_us", round2(o.added_p99.median)},
                         {"added_p99_us_ci95", interval_json(o.added_p99)},
                         {"paired_repetitions", o.added_p50.n},
                         {"cpu_ratio", o.cpu_ratio.n ? json::value(round3(o.cpu_ratio.median)) : nullptr},
                         {"cpu_ratio_ci95", interval_json(o.cpu_ratio)},
                         {"throughput_ratio", o.throughput_ratio ? json::value(o.throughput_ratio->value) : nullptr},
                         {"throughput_ratio_bounds",
                          o.throughput_ratio ? json::value(json::array{optional_json(o.throughput_ratio->low), optional_json(o.throughput_ratio->high)})
                                             : json::value(nullptr)},
                         {"memory_ratio", optional_json(o.memory_ratio)},
                         {"loopback_rtt_p50_us", o.loopback_rtt_p50_us},
                         {"per_hop", std::move(per_hop)}};
    out["overall"] = std::move(overall);
  }
}


json::object answer_json(answer const& a) {
  json::object out, deployments;
  for (auto const& d : a.deployments) {
    json::value bounds = nullptr;
    if (d.capacity) bounds = json::array{d.capacity->low, optional_json(d.capacity->high)};
    deployments[d.name] = json::object{{"processes", d.processes},
                                       {"repetitions", d.repetitions},
                                       {"cpu_us_per_request", d.cpu_us_per_request.n ? json::value(round2(d.cpu_us_per_request.median)) : nullptr},
                                       {"cpu_us_per_request_ci95", interval_json(d.cpu_us_per_request)},
                                       {"swept", d.swept},
                                       {"throughput_at_slo_bounds_rps", bounds},
                                       {"sweep_cpu_budget", optional_json(d.sweep_cpu_budget)},
                                       {"peak_rss_bytes", d.resources_measured ? json::value(d.peak_rss_bytes) : nullptr},
                                       {"failed", d.failed}};
  }
  out["deployments"] = std::move(deployments);
  comparison_json(out, a.routes, a.overall);
  if (!a.compared.empty()) out["compared"] = a.compared;
  json::object comparisons;
  for (auto const& c : a.comparisons) {
    json::object one;
    comparison_json(one, c.routes, c.overall);
    comparisons[c.name] = std::move(one);
  }
  if (!a.comparisons.empty()) out["comparisons"] = std::move(comparisons);
  return out;
}

json::value bounds_json(std::optional<capacity_bounds> const& c) {
  return c ? json::value(json::array{c->low, optional_json(c->high)}) : json::value(nullptr);
}

/// The distance phase answered: what the distance chart draws and a reader of the JSON wants.
json::object distance_json(distance_answer const& d) {
  auto median = [](median_interval const& m) { return m.n ? json::value(round2(m.median)) : json::value(nullptr); };
  json::array points;
  for (auto const& p : d.points) {
    json::object routes;
    for (auto const& r : p.routes)
      routes[r.name] = json::object{{"added_p50_us", median(r.added_p50)}, {"added_p50_us_ci95", interval_json(r.added_p50)},
                                    {"added_p99_us", median(r.added_p99)}, {"added_p99_us_ci95", interval_json(r.added_p99)}};
    auto const* all = p.all();
    points.push_back(json::object{
        {"round_trip_us", p.round_trip_us},
        {"paired_repetitions", all ? all->added_p50.n : 0},
        {"added_p50_us", all ? median(all->added_p50) : json::value(nullptr)},
        {"added_p50_us_ci95", all ? interval_json(all->added_p50) : json::value(nullptr)},
        {"added_p99_us", all ? median(all->added_p99) : json::value(nullptr)},
        {"added_p99_us_ci95", all ? interval_json(all->added_p99) : json::value(nullptr)},
        {"routes", std::move(routes)},
        {"swept", p.swept},
        {"split_throughput_at_slo_bounds_rps", bounds_json(p.capacity)},
        {"throughput_ratio", p.throughput_ratio ? json::value(p.throughput_ratio->value) : json::value(nullptr)}});
  }
  return json::object{{"points", std::move(points)},
                      {"monolith_swept", d.monolith_swept},
                      {"monolith_throughput_at_slo_bounds_rps", bounds_json(d.monolith_capacity)},
                      {"sweep_cpu_budget", optional_json(d.sweep_cpu_budget)},
                      {"added_p50_over_1ms_from_round_trip_us", optional_json(round_trip_from_which(d, 1'000))},
                      {"half_throughput_from_round_trip_us", optional_json(round_trip_from_which_throughput(d, 0.5))}};
}

}  // namespace

json::object to_json(run_result const& run, answer const& a) {
  writer w;
  w.out["schema"] = report_schema;
  describe(w, const_cast<run_result&>(run));  // the writer only reads
  auto warnings = std::move(w.out["warnings"]);
  w.out.erase("warnings");
  auto answered = answer_json(a);
  if (auto d = distance_answer_of(run)) answered["distance"] = distance_json(*d);
  if (auto p = payload_answer_of(run)) answered["payload"] = payload_json(*p);
  w.out["answer"] = std::move(answered);
  w.out["warnings"] = std::move(warnings);
  return std::move(w.out);
}

run_result run_result_from_json(json::object const& report) {
  auto const* schema = report.if_contains("schema");
  if (!schema || !schema->is_string()) throw report_error("not a splitbench report (no schema)");
  if (schema->get_string() == "splitbench.report/1")
    throw report_error("a splitbench.report/1 report, from an older splitbench whose throughput counted requests due and left failures "
                       "out of the tail; its figures are not comparable with this version's: run it again");
  if (schema->get_string() != report_schema && schema->get_string() != report_schema_2)
    throw report_error(fmt::format("report schema '{}' is not one this version reads ({} or {})", std::string(schema->get_string()), report_schema,
                                   report_schema_2));
  run_result run;
  reader r{report, ""};
  describe(r, run);
  check_histograms(run);
  check_faults(run);
  check_payload(run);
  return run;
}

run_result load_report(std::string const& path) {
  struct stat st{};
  auto file = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? path + "/report.json" : path;
  std::string text;
  try {
    text = read_file(file);
  } catch (std::exception const& e) {
    throw report_error(e.what());
  }
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw report_error(file + " is not JSON: " + (ec ? ec.message() : "not an object"));
  try {
    return run_result_from_json(v.as_object());
  } catch (std::exception const& e) {
    throw report_error(file + ": " + e.what());
  }
}

}  // namespace splitbench::bench

#include "bench/driver/output.hpp"

#include "bench/driver/hdr_codec.hpp"
#include "bench/driver/histogram_json.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace splitbench::bench {
namespace json = boost::json;

double to_us(double ns) noexcept { return std::round(ns / 10.0) / 100.0; }

namespace {

double us(std::uint64_t ns) noexcept { return to_us(static_cast<double>(ns)); }
double rounded(double x, double unit) { return std::round(x / unit) * unit; }

json::object errors_json(error_counts const& e) {
  return {{"connect", e.connect}, {"refused", e.refused}, {"read", e.read}, {"write", e.write},
          {"timeout", e.timeout}, {"status", e.status}, {"parse", e.parse}};
}

/// Thresholds of the warnings.
constexpr double kept_up = 0.95;          // of the target rate, in completions
constexpr double busy = 0.8;              // of the window, connections carrying a request
constexpr double saturated_driver = 0.85; // of the driver's threads
constexpr double hiccup_share = 0.25;     // of the response time's p99

}  // namespace

json::object latency_json(histogram const& h) {
  json::object o{{"count", h.count()},
          {"min", us(h.min())},
          {"mean", to_us(h.mean())},
          {"stddev", to_us(h.stddev())},
          {"p50", us(h.value_at_percentile(50))},
          {"p75", us(h.value_at_percentile(75))},
          {"p90", us(h.value_at_percentile(90))},
          {"p99", us(h.value_at_percentile(99))},
          {"p999", us(h.value_at_percentile(99.9))},
          {"p9999", us(h.value_at_percentile(99.99))},
          {"max", us(h.max())}};
  put_histogram(o, h);
  return o;
}

std::vector<std::string> warnings_of(load_result const& r) {
  std::vector<std::string> w;
  if (r.cancelled) w.push_back("the run was cut short; figures cover only what was measured");
  if (r.open_loop && r.measured_seconds > 0 && r.throughput_rps() < kept_up * r.target_rate)
    w.push_back(fmt::format("completed {:.0f} good responses per second, {:.0f}% of the target {:.0f}: the server or the connections "
                            "could not keep up",
                            r.throughput_rps(), 100 * r.throughput_rps() / r.target_rate, r.target_rate));
  if (r.unsent > 0)
    w.push_back(fmt::format("{} of {} requests due in the window were never sent: no connection was free for them in time "
                            "(they are in the latency tail at the run's end)",
                            r.unsent, r.requests));
  if (r.in_flight_at_end > 0)
    w.push_back(fmt::format("{} requests were still unanswered when the run ended (in the latency tail at the run's end)",
                            r.in_flight_at_end));
  if (r.open_loop && r.connections_busy > busy)
    w.push_back(fmt::format("the connections carried requests {:.0f}% of the window and requests waited for one (queue wait p99 "
                            "{:.1f} us): more connections are needed, unless the server is the limit",
                            100 * r.connections_busy, us(r.queue_wait.value_at_percentile(99))));
  if (r.open_loop && r.send_lag.count() && r.send_lag.value_at_percentile(99) > static_cast<std::uint64_t>(late_after.count()))
    w.push_back(fmt::format("the driver itself sent 1% of requests over {:.1f} us late with a connection free: it fell behind "
                            "its schedule; add threads or lower the rate",
                            us(r.send_lag.value_at_percentile(99))));
  if (r.driver_utilisation() > saturated_driver)
    w.push_back(fmt::format("the driver's threads were {:.0f}% busy: it may be measuring itself; add threads or lower the rate",
                            100 * r.driver_utilisation()));
  auto const& e = r.all.errors;
  if (e.total() > 0)
    w.push_back(fmt::format("{} errors (connect {}, refused {}, read {}, write {}, timeout {}, status {}, parse {})", e.total(), e.connect, e.refused,
                            e.read, e.write, e.timeout, e.status, e.parse));
  auto p99 = r.all.response_time.value_at_percentile(99);
  auto hiccup_p99 = r.hiccups.value_at_percentile(99);
  if (r.hiccups.count() && p99 && static_cast<double>(hiccup_p99) >= hiccup_share * static_cast<double>(p99))
    w.push_back(fmt::format("the machine's own hiccups reach {:.1f} us at p99 against a response-time p99 of {:.1f} us: "
                            "p99 here is the machine's, not the code's",
                            us(hiccup_p99), us(p99)));
  if (r.all.response_time.saturated() > 0) w.push_back("some latencies exceeded the histogram's range and were kept as its maximum");
  return w;
}

namespace {

/// The p50 of each part of a route's breakdown, and of the latency of the same responses.
json::object breakdown_json(timing_breakdown const& b) {
  auto p50 = [](histogram const& h) { return us(h.value_at_percentile(50)); };
  return json::object{{"responses", b.latency.count()}, {"missing", b.missing},       {"latency", p50(b.latency)},
                      {"queue", p50(b.queue)},          {"logic", p50(b.logic)},      {"codec", p50(b.codec)},
                      {"framing", p50(b.framing)}};
}

}  // namespace

json::object to_json(load_result const& r, std::string const& url) {
  load_schedule s;
  s.url = url;
  if (r.open_loop) s.rate = r.target_rate;
  s.start_unix_ns = r.start_unix_ns;
  s.duration = std::chrono::nanoseconds(std::llround(r.measured_seconds * 1e9));
  for (auto const& route : r.routes) s.routes.push_back(route.name);
  return to_json(r, s);
}

json::object to_json(load_result const& r, load_schedule const& s) {
  auto const& url = s.url;
  json::object o;
  o["schema"] = load_schema;
  o["url"] = url;
  json::array indices, routes_asked;
  for (auto i : s.indices) indices.push_back(i);
  for (auto const& name : s.routes) routes_asked.push_back(json::string(name));
  o["schedule"] = json::object{{"url", s.url},
                               {"workload", s.workload},
                               {"routes", std::move(routes_asked)},
                               {"rate", s.rate ? json::value(*s.rate) : json::value(nullptr)},
                               {"start", rfc3339(s.start_unix_ns)},
                               {"start_unix_ns", s.start_unix_ns},
                               {"start_given", s.start_given},
                               {"warmup_ns", s.warmup.count()},
                               {"duration_ns", s.duration.count()},
                               {"seed", s.seed},
                               {"shards", s.shards},
                               {"shard_indices", std::move(indices)}};
  o["mode"] = r.open_loop ? "open" : "closed";
  o["latency_measured_from"] = r.open_loop ? "due time (coordinated omission corrected)" : "send time (closed loop)";
  if (r.open_loop) o["target_rate"] = r.target_rate;
  o["threads"] = r.threads;
  o["connections"] = r.connections;
  o["measured_seconds"] = r.measured_seconds;
  o["throughput_rps"] = rounded(r.throughput_rps(), 0.1);
  o["error_rps"] = rounded(r.error_rps(), 0.1);
  o["requests"] = r.requests;
  o["responses"] = r.all.responses;
  o["unsent"] = r.unsent;
  o["late"] = r.late;
  o["late_after_us"] = to_us(static_cast<double>(late_after.count()));
  o["in_flight_at_end"] = r.in_flight_at_end;
  // The raw counts behind the rates above, so that shards add exactly.
  o["good_in_window"] = r.all.good_in_window;
  o["errors_in_window"] = r.all.errors_in_window;
  o["errors"] = r.all.errors.total();
  o["errors_by_kind"] = errors_json(r.all.errors);
  o["reconnects"] = r.reconnects;
  o["latency_us"] = latency_json(r.all.response_time);
  o["good_latency_us"] = latency_json(r.all.good_response_time);
  o["service_time_us"] = latency_json(r.all.service_time);
  if (r.open_loop) {
    o["send_lag_us"] = latency_json(r.send_lag);
    o["queue_wait_us"] = latency_json(r.queue_wait);
  }
  o["connections_busy"] = rounded(r.connections_busy, 0.001);
  o["hiccups_us"] = latency_json(r.hiccups);
  json::object classes;
  for (unsigned c = 1; c <= 5; ++c) classes[fmt::format("{}xx", c)] = r.all.status_classes[c];
  o["status_classes"] = std::move(classes);
  json::array routes;
  for (auto const& route : r.routes) {
    json::object by_class;
    for (unsigned c = 1; c <= 5; ++c) by_class[fmt::format("{}xx", c)] = route.status_classes[c];
    // "histogram" is latency_us's, in HdrHistogram's V2 encoding, for readers of older schemas.
    routes.push_back(json::object{{"name", route.name},
                                  {"responses", route.responses},
                                  {"errors", route.errors.total()},
                                  {"errors_by_kind", errors_json(route.errors)},
                                  {"status_classes", std::move(by_class)},
                                  {"good_in_window", route.good_in_window},
                                  {"errors_in_window", route.errors_in_window},
                                  {"latency_us", latency_json(route.response_time)},
                                  {"good_latency_us", latency_json(route.good_response_time)},
                                  {"service_time_us", latency_json(route.service_time)},
                                  {"histogram", encode_v2(route.response_time)}});
    if (route.timing) routes.back().as_object()["timing_p50_us"] = breakdown_json(*route.timing);
  }
  o["routes"] = std::move(routes);
  json::array seconds;
  for (std::size_t i = 0; i < r.per_second.size(); ++i) {
    json::object second{{"second", i + 1},
                        {"responses", r.per_second[i].responses},
                        {"errors", r.per_second[i].errors},
                        {"p50_us", us(r.per_second[i].p50_ns)},
                        {"p99_us", us(r.per_second[i].p99_ns)}};
    put_histogram(second, r.per_second[i].response_time);
    seconds.push_back(std::move(second));
  }
  o["per_second"] = std::move(seconds);
  o["driver"] = json::object{{"cpu_seconds", r.driver_cpu_seconds},
                             {"cpu_us_per_request", rounded(r.driver_cpu_us_per_request(), 0.01)},
                             {"utilisation", rounded(r.driver_utilisation(), 0.001)}};
  // latency_us's histogram, in HdrHistogram's V2 encoding (which carries no mean or saturation:
  // latency_us.histogram_totals has them).
  o["histogram"] = encode_v2(r.all.response_time);
  json::array warnings;
  for (auto& w : warnings_of(r)) warnings.push_back(json::string(w));
  o["warnings"] = std::move(warnings);
  o["cancelled"] = r.cancelled;
  return o;
}

std::string summary_text(load_result const& r, std::string const& url) {
  std::string out;
  auto it = std::back_inserter(out);
  auto const& rt = r.all.response_time;
  fmt::format_to(it, "{} loop against {}: {} threads, {} connections, {:.2f}s measured\n", r.open_loop ? "Open" : "Closed",
                 url, r.threads, r.connections, r.measured_seconds);
  auto row = [&](char const* name, histogram const& h) {
    fmt::format_to(it, "  {:<14} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9}\n", name,
                   us(h.value_at_percentile(50)), us(h.value_at_percentile(90)), us(h.value_at_percentile(99)),
                   us(h.value_at_percentile(99.9)), us(h.max()), to_us(h.mean()), to_us(h.stddev()), h.count());
  };
  fmt::format_to(it, "  {:<14} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}   (microseconds)\n", "", "p50", "p90", "p99",
                 "p99.9", "max", "mean", "stdev", "count");
  row(r.open_loop ? "response time" : "latency", rt);
  row("good only", r.all.good_response_time);
  if (r.open_loop) {
    row("service time", r.all.service_time);
    row("queue wait", r.queue_wait);
    row("send lag", r.send_lag);
  }
  row("hiccups", r.hiccups);
  if (r.open_loop)
    fmt::format_to(it, "  Response time counts from each request's due time (coordinated omission corrected), failures\n"
                       "  included at the time they failed; service time from the actual send. A request waits in the\n"
                       "  queue for a free connection; send lag is the driver's own lateness after that.\n");
  else
    fmt::format_to(it, "  Closed loop: latency counts from each actual send and is not corrected for coordinated omission.\n");
  fmt::format_to(it, "  Hiccups: how late a thread sleeping 1 ms at a time woke, the machine's own stalls.\n");
  fmt::format_to(it, "\n  Percentile spectrum ({}):\n", r.open_loop ? "response time" : "latency");
  for (double p : {50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 100.0})
    fmt::format_to(it, "  {:>8.3f}%  {:>10.1f} us\n", p, us(rt.value_at_percentile(p)));
  fmt::format_to(it, "\n  {:.1f} good responses/s completed in the window", r.throughput_rps());
  if (r.open_loop) fmt::format_to(it, " (target {:.1f}/s)", r.target_rate);
  fmt::format_to(it, ", {:.1f} errors/s\n", r.error_rps());
  fmt::format_to(it, "  {} requests {} in the window: {} answered, {} failed, {} unsent, {} in flight at the end; {} sent over "
                     "{:.0f} us late\n",
                 r.requests, r.open_loop ? "due" : "sent", r.all.responses,
                 r.all.errors.read + r.all.errors.write + r.all.errors.timeout + r.all.errors.parse, r.unsent, r.in_flight_at_end, r.late, to_us(static_cast<double>(late_after.count())));
  fmt::format_to(it, "  status: 2xx {} 3xx {} 4xx {} 5xx {}\n", r.all.status_classes[2], r.all.status_classes[3],
                 r.all.status_classes[4], r.all.status_classes[5]);
  auto const& e = r.all.errors;
  fmt::format_to(it, "  errors: {} (connect {} refused {} read {} write {} timeout {} status {} parse {})\n", e.total(), e.connect, e.refused, e.read,
                 e.write, e.timeout, e.status, e.parse);
  fmt::format_to(it, "  connections: busy {:.0f}% of the window, {} reopened\n", 100 * r.connections_busy, r.reconnects);
  fmt::format_to(it, "  driver: {:.2f} us CPU per request, {:.0f}% of its threads busy\n", r.driver_cpu_us_per_request(),
                 100 * r.driver_utilisation());
  bool timed = std::any_of(r.routes.begin(), r.routes.end(), [](route_result const& x) { return x.timing.has_value(); });
  if (timed) {
    fmt::format_to(it, "\n  Breakdown, p50 of each part (Server-Timing; microseconds):\n  {:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "route",
                   "latency", "queue", "logic", "codec", "framing", "missing");
    for (auto const& x : r.routes) {
      if (!x.timing) continue;
      auto p50 = [](histogram const& h) { return us(h.value_at_percentile(50)); };
      auto const& b = *x.timing;
      fmt::format_to(it, "  {:<28} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9}\n", x.name, p50(b.latency), p50(b.queue), p50(b.logic),
                     p50(b.codec), p50(b.framing), b.missing);
    }
  }
  for (auto& w : warnings_of(r)) fmt::format_to(it, "  WARNING: {}\n", w);
  return out;
}

}  // namespace splitbench::bench

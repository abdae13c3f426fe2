#include "net/server_metrics.hpp"

#include "net/client.hpp"
#include "net/metrics_text.hpp"
#include "os/process_usage.hpp"

#include <map>
#include <string_view>
#include <utility>

namespace splitbench::net::detail {
namespace {

/// Each route's histogram summed over threads, by pattern and method: the server's own routes,
/// every route of the app, and what matched none, under route="unmatched", where any came.
void write_request_durations(metrics_text& m, std::vector<thread_metrics> const& threads) {
  std::map<std::pair<std::string, std::string_view>, histogram_snapshot> routes;
  for (auto const& thread : threads) {
    auto const& t = *thread.timings;
    routes[{"/health", "GET"}] += t.health.snapshot();
    routes[{"/metrics", "GET"}] += t.metrics.snapshot();
    for (std::size_t i = 0; i < t.labels.size(); ++i) routes[{t.labels[i].pattern, method_name(t.labels[i].method)}] += t.routed[i].snapshot();
    for (std::size_t i = 0; i < t.unmatched.size(); ++i)
      if (auto s = t.unmatched[i].snapshot(); s.count() > 0) routes[{"unmatched", method_name(static_cast<method>(i))}] += s;
  }
  constexpr std::string_view name = "splitbench_http_request_duration_seconds";
  m.family(name, "histogram", "Time from a request's arrival, whole, to its response being written, by route pattern and method.");
  for (auto const& [key, h] : routes) m.histogram(name, {{"method", key.second}, {"route", key.first}}, h);
}

/// Each peer's calls summed over threads, where the app calls any.
void write_peer_durations(metrics_text& m, std::vector<thread_metrics> const& threads) {
  std::map<std::string, histogram_snapshot> peers;
  for (auto const& thread : threads)
    for (auto const* c : thread.application->clients()) peers[c->name()] += c->call_durations();
  if (peers.empty()) return;
  constexpr std::string_view name = "splitbench_peer_request_duration_seconds";
  m.family(name, "histogram", "Time of a call to a peer service as its caller sees it, retries and moves to another replica included.");
  for (auto const& [peer, h] : peers) m.histogram(name, {{"peer", peer}}, h);
}

}  // namespace

std::string render_metrics(server_stats const& s, std::vector<thread_metrics> const& threads, double start_time) {
  metrics_text m;
  m.counter("splitbench_http_requests_total", "Requests received whole, /health and /metrics included.", s.requests);
  m.family("splitbench_http_responses_total", "counter", "Responses written, by status class.");
  m.sample("splitbench_http_responses_total", {{"class", "2xx"}}, s.responses_2xx);
  m.sample("splitbench_http_responses_total", {{"class", "4xx"}}, s.responses_4xx);
  m.sample("splitbench_http_responses_total", {{"class", "5xx"}}, s.responses_5xx);
  m.counter("splitbench_http_bad_requests_total", "Requests refused by the parser or the framing checks.", s.bad_requests);
  m.counter("splitbench_http_timeouts_total", "Connections closed by a read or write timeout.", s.timeouts);
  m.counter("splitbench_http_connections_accepted_total", "Connections accepted.", s.connections_accepted);
  m.counter("splitbench_http_connections_refused_total", "Connections closed at once, beyond --max-connections.", s.connections_refused);
  m.gauge("splitbench_http_connections_open", "Connections open now.", static_cast<double>(s.connections_open));
  write_request_durations(m, threads);
  write_peer_durations(m, threads);
  // The standard process metrics, as Prometheus' client libraries name them.
  m.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
      .sample("process_cpu_seconds_total", {}, os::cpu_seconds());
  m.gauge("process_resident_memory_bytes", "Resident memory size in bytes.", static_cast<double>(os::resident_bytes()));
  m.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", start_time);
  return m.take();
}

}  // namespace splitbench::net::detail

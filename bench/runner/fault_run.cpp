#include "bench/runner/fault_run.hpp"

#include "bench/faults/impact.hpp"
#include "bench/runner/workload.hpp"
#include "cli/values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

namespace splitbench::bench {
namespace {

using clock = std::chrono::steady_clock;
using namespace std::chrono;

double seconds_of(clock::duration d) { return duration<double>(d).count(); }

/// Acts the fault and supervises the processes, on a thread of its own, from the window's start.
class chaos {
 public:
  chaos(deployment& d, std::size_t target, fault const& f, bool restart) : d_(d), target_(target), f_(f), restart_(restart) {}
  ~chaos() { stop(); }

  /// From the window's start (the driver's at_measure_start).
  void start() {
    t0_ = clock::now();
    thread_ = std::thread([this] { loop(); });
  }

  /// Ends supervision: a hung process is let go; nothing is restarted by this thread any more.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  std::vector<restart_record>& restarts() { return restarts_; }
  std::vector<std::string>& warnings() { return warnings_; }

 private:
  /// Sleeps until `t` or stop(); false when stopped.
  bool sleep_until(clock::time_point t) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_until(lock, t, [this] { return stopping_; });
  }

  void signal_target(int sig) {
    auto pid = d_.processes()[target_].pid;
    if (pid > 0) ::kill(-pid, sig), ::kill(pid, sig);
  }

  void switch_target(std::string const& action) {
    if (auto failed = switch_fault(d_.processes()[target_].address, f_.service, action))
      warnings_.push_back(fmt::format("could not switch {} {}: {}", f_.service, action.empty() ? "back to normal" : "to " + action, *failed));
  }

  void loop() {
    auto const n = d_.processes().size();
    std::vector<int> restarts_of(n, 0);
    std::vector<std::optional<clock::time_point>> due_back(n);  // when a dead process may start again
    std::vector<std::optional<std::size_t>> record_of(n);
    bool acted = false, released = f_.kind != fault_kind::hang && !f_.in_process();
    auto const act_at = t0_ + f_.at, end_at = t0_ + f_.end();
    // The target restarts only after a kill's or term's length; other processes at once.
    while (sleep_until(std::min(clock::now() + milliseconds(2), acted ? clock::time_point::max() : act_at))) {
      auto now = clock::now();
      if (!acted && now >= act_at) {
        acted = true;
        if (f_.in_process()) switch_target(f_.action);
        else signal_target(f_.kind == fault_kind::kill ? SIGKILL : f_.kind == fault_kind::term ? SIGTERM : SIGSTOP);
      }
      if (!released && now >= end_at) {
        released = true;
        if (f_.in_process()) switch_target("");
        else signal_target(SIGCONT);
      }
      for (std::size_t i = 0; i < n; ++i) {
        auto& p = d_.processes()[i];
        if (p.pid > 0) {
          if (auto how = exit_status(p)) {
            restarts_.push_back({p.name, seconds_of(now - t0_), *how, {}, {}, {}, {}});
            record_of[i] = restarts_.size() - 1;
            auto backoff = restart_backoff(restarts_of[i]);
            auto hold = i == target_ && (f_.kind == fault_kind::kill || f_.kind == fault_kind::term) ? end_at : now;
            due_back[i] = std::max(now + backoff, hold);
          }
          continue;
        }
        if (!restart_ || !due_back[i] || now < *due_back[i]) continue;
        due_back[i].reset();
        ++restarts_of[i];
        auto& r = restarts_[*record_of[i]];
        r.spawn_s = seconds_of(clock::now() - t0_);
        try {
          d_.restart(i);
          r.listening_s = seconds_of(clock::now() - t0_);
          if (wait_healthy(p.address, milliseconds(5'000))) r.ready_s = seconds_of(clock::now() - t0_);
          else warnings_.push_back(fmt::format("{} restarted but did not answer /health within 5 s", p.name));
        } catch (std::exception const& e) {
          warnings_.push_back(fmt::format("{} could not be restarted: {}", p.name, e.what()));
          due_back[i] = clock::now() + seconds(2);
        }
      }
    }
    if (!released && acted) f_.in_process() ? switch_target("") : signal_target(SIGCONT);
  }

  deployment& d_;
  std::size_t target_;
  fault const& f_;
  bool restart_;
  clock::time_point t0_{};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<restart_record> restarts_;
  std::vector<std::string> warnings_;
};

slice_figures figures_of(interval_stats const& s, double start_s) {
  return {start_s, s.due, s.good, s.client_errors, s.server_errors, s.timeouts, s.connection_errors, s.unanswered,
          static_cast<double>(s.response_time.value_at_percentile(50)) / 1e3, static_cast<double>(s.response_time.value_at_percentile(99)) / 1e3};
}

/// Whether `route` needs process `process` of `t` to answer: the front door's, or one running a
/// service on the route's call graph.
bool needs(topology const& t, std::string const& process, route_kind route) {
  for (std::size_t g = 0; g < t.groups().size(); ++g) {
    if (t.process_name(g) != process) continue;
    auto const& services = t.groups()[g];
    return std::any_of(services.begin(), services.end(), [&](std::string const& s) { return s == "gateway" || route_uses(route, s); });
  }
  return false;
}

}  // namespace

fault_measurement run_fault(deployment& d, topology const& kind, request_mix const& mix, scenario const& s, fault const& f,
                            std::atomic<bool> const* cancel, std::function<void(load_progress const&)> const& progress) {
  fault_measurement out;
  out.spec = f.text();
  out.service = f.service;
  out.kind = std::string(name_of(f.kind));
  out.at_s = seconds_of(f.at);
  if (f.length) out.for_s = seconds_of(*f.length);
  out.restart = s.fault_restart;
  out.rate = s.fault_rate;
  out.slice_s = seconds_of(s.fault_slice);
  auto target = d.index_of(kind.process_of(f.service));
  if (!target) throw std::runtime_error(fmt::format("no process runs {} here", f.service));
  out.process = d.processes()[*target].name;

  auto hp = cli::parse_host_port(d.address());
  auto lo = s.fault_load();
  lo.host = hp.host;
  lo.port = hp.port;
  lo.cancel = cancel;
  chaos acting(d, *target, f, s.fault_restart);
  lo.at_measure_start = [&] { acting.start(); };
  lo.at_measure_end = [&] { acting.stop(); };
  auto r = run_load(lo, mix, progress);
  acting.stop();
  out.seconds = r.measured_seconds;
  out.restarts = std::move(acting.restarts());
  out.warnings = std::move(acting.warnings());

  // Whatever is still down comes back now, outside the window, for the phases after this one.
  for (std::size_t i = 0; i < d.processes().size(); ++i) {
    auto& p = d.processes()[i];
    if (p.pid > 0) exit_status(p);
    if (p.pid > 0) continue;
    d.restart(i);
    if (!wait_healthy(p.address, milliseconds(5'000))) throw std::runtime_error(fmt::format("{} did not come back after the fault run", p.name));
  }

  // The fault is over when its length has passed and the target's last restart in the window is ready.
  out.window_end_s = seconds_of(f.end());
  for (auto const& rr : out.restarts) {
    if (rr.process != out.process) continue;
    out.window_end_s = std::max(out.window_end_s, rr.ready_s.value_or(out.seconds));
  }
  fault_window w{out.at_s, out.window_end_s};
  auto kinds = workload_routes(s);
  for (std::size_t i = 0; i < r.routes.size(); ++i) {
    auto const& route = r.routes[i];
    fault_route fr;
    fr.name = route.name;
    fr.uses_target = i < kinds.size() && route_uses(kinds[i], f.service);
    auto impact = impact_of(route.intervals, out.slice_s, w, seconds_of(s.slo_p99) * 1e6);
    fr.availability = impact.availability;
    fr.p99_during_us = impact.p99_during_us;
    fr.pre_fault_p99_us = impact.pre_fault_p99_us;
    fr.time_to_detect_s = impact.time_to_detect_s;
    fr.outage_s = impact.outage_s;
    fr.time_to_recover_s = impact.time_to_recover_s;
    fr.time_to_available_s = impact.time_to_available_s;
    fr.broken = impact.broken;
    for (std::size_t k = 0; k < route.intervals.size(); ++k) {
      auto const& slice = route.intervals[k];
      auto start = static_cast<double>(k) * out.slice_s;
      fr.timeline.push_back(figures_of(slice, start));
      if (start + out.slice_s > w.at_s && start < std::max(w.end_s, w.at_s + 1e-9)) {
        fr.status_5xx += slice.server_errors;
        fr.timeouts += slice.timeouts;
        fr.connection_errors += slice.connection_errors;
      }
    }
    if (fr.broken) out.blast_radius.push_back(fr.name);
    if (fr.uses_target) out.call_graph.push_back(fr.name);
    out.routes.push_back(std::move(fr));
  }
  // The first good answer after each restart, on a route that needs the restarted process.
  for (auto& rr : out.restarts) {
    if (!rr.ready_s) continue;
    for (std::size_t k = static_cast<std::size_t>(*rr.ready_s / out.slice_s); k < r.routes.front().intervals.size() && !rr.first_good_s; ++k)
      for (std::size_t i = 0; i < r.routes.size() && !rr.first_good_s; ++i)
        if ((i >= kinds.size() || needs(kind, rr.process, kinds[i])) &&
            r.routes[i].intervals[k].good > 0)
          rr.first_good_s = std::max(*rr.ready_s, static_cast<double>(k) * out.slice_s);
  }
  if (r.cancelled) out.warnings.push_back("the fault run was interrupted");
  return out;
}

}  // namespace splitbench::bench

#include "bench/runner/run.hpp"

#include "bench/runner/breakdown.hpp"
#include "bench/runner/fault_run.hpp"
#include "bench/runner/floors.hpp"
#include "bench/runner/machine.hpp"
#include "bench/runner/payload.hpp"
#include "bench/runner/progress.hpp"
#include "bench/runner/supervisor.hpp"
#include "bench/runner/sweep.hpp"
#include "bench/runner/workload.hpp"
#include "cli/options.hpp"
#include "os/cgroup.hpp"
#include "os/netns.hpp"
#include "os/process_usage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <filesystem>
#include <memory>
#include <tuple>
#include <utility>

namespace splitbench::bench {
namespace {

std::string utc_now(char const* format) {
  auto t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

double seconds_of(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

/// One deployment under measurement: its processes, its workload (built once) and its results.
struct subject {
  topology kind = topology::monolith();
  std::unique_ptr<deployment> processes;  ///< null for a target: a deployment not started here
  target_spec const* target = nullptr;
  std::string address;                    ///< the front door
  request_mix mix;
  deployment_measurement result;
};

class scenario_run {
 public:
  scenario_run(scenario const& s, run_options const& o, std::string dir) : s_(s), o_(o), dir_(std::move(dir)), progress_(o.terminal) {}

  run_result run() {
    result_.id = std::filesystem::path(dir_).filename();
    result_.created = utc_now("%Y-%m-%dT%H:%M:%SZ");
    result_.machine = describe_machine();
    result_.build = describe_build(o_.source_dir);
    result_.scenario = {s_.name, s_.source, to_toml(s_), seconds_of(s_.slo_p99) * 1e6, s_.sweep ? std::optional(s_.sweep_max) : std::nullopt,
                        s_.max_error_rate, s_.inject_latency, {}, s_.gate_threshold};
    for (auto const& f : s_.faults) result_.scenario.faults.push_back(f.text());
    join_network();
    if (!s_.network_delay.empty())
      result_.network += fmt::format("; the split's callers add a one-way delay drawn from {} to each direction of every call to a peer", s_.network_delay);
    floors();
    start();
    limit_links();
    progress_.plan(planned_seconds());
    compare();
    if (s_.sweep) sweep();
    faults();
    if (s_.breakdown) breakdown();
    memory();
    if (s_.payload) payload();
    stop();
    if (s_.scaling && o_.targets.empty()) scaling();
    if (s_.distance && o_.targets.empty()) distance();
    result_.partial = cancelled();
    if (result_.partial) result_.warnings.push_back("the run was interrupted: this report holds only what was measured before");
    return std::move(result_);
  }

 private:
  bool cancelled() const { return o_.cancel && o_.cancel->load(); }

  /// Seconds of load the compare phase and a typical sweep take: what the time left is estimated from.
  double planned_seconds() const {
    auto per_run = seconds_of(s_.warmup);
    double compare = static_cast<double>(subjects_.size()) * (s_.repetitions + 1) * (seconds_of(s_.compare_duration) + per_run);
    double search = std::ceil(std::log(s_.sweep_max / s_.sweep_start) / std::log(s_.sweep_factor)) + 4;
    double steps = (s_.sweep ? search : 0) + (s_.scaling ? search * static_cast<double>(s_.scaling_replicas.size()) : 0);
    double faults = static_cast<double>(subjects_.size() * s_.faults.size()) * (seconds_of(s_.fault_duration) + per_run);
    double distance = 0;
    if (s_.distance && o_.targets.empty()) {
      auto points = static_cast<double>(s_.distance_round_trips.size());
      distance = (points * (2 * s_.distance_repetitions + 1) + 1) * (seconds_of(s_.compare_duration) + per_run);
      if (s_.distance_sweep) distance += (points + 1) * search * (seconds_of(s_.sweep_duration) + per_run);
    }
    double payload = s_.payload ? static_cast<double>(subjects_.size() * (s_.payload_limits.size() + s_.payload_lines.size())) *
                                      s_.payload_repetitions * (seconds_of(s_.payload_duration) + per_run)
                                : 0;
    double breakdown = s_.breakdown ? static_cast<double>(subjects_.size()) * (seconds_of(s_.breakdown_duration) + 4 * per_run) : 0;
    return compare + static_cast<double>(subjects_.size()) * steps * (seconds_of(s_.sweep_duration) + per_run) + faults + distance + payload +
           breakdown;
  }

  /// With network = netns: the network made and the driver (this thread, and the threads it
  /// starts from now on) on a host of its own in it, before anything is measured or started.
  void join_network() {
    if (s_.network != "netns") return;
    progress_.start("network: a host for the driver and one for each process");
    try {
      network_ = std::make_unique<os::network>();
      auto const& driver = network_->add_host("driver");
      driver_ns_ = std::make_unique<os::inside_namespace>(driver.ns);
    } catch (os::netns_error const& e) {
      driver_ns_.reset();
      network_.reset();
      std::filesystem::remove_all(dir_);
      throw deployment_error(e.what());
    }
    result_.network = fmt::format("netns: the driver and each process on a host of its own (a network namespace on a veth pair to a bridge), "
                                  "driver {}",
                                  network_->hosts().front().address);
    progress_.done(fmt::format("driver on {}", network_->hosts().front().address));
  }

  /// Every link of the network held to the scenario's bandwidth, once every host is there; where
  /// no qdisc can be set the report says so instead.
  void limit_links() {
    if (!network_) return;
    std::string hosts;
    for (auto const& h : network_->hosts()) hosts += fmt::format("{}{} {}", hosts.empty() ? "" : ", ", h.label, h.address);
    result_.network += fmt::format("; hosts: {}", hosts);
    if (s_.network_bandwidth.empty()) {
      result_.network += "; links not limited";
      return;
    }
    if (auto why = network_->limit_bandwidth(s_.network_bandwidth)) {
      result_.network += fmt::format("; links NOT limited to {}: {}", s_.network_bandwidth, *why);
      result_.warnings.push_back(fmt::format("the links were not held to {} as the scenario asks: {}", s_.network_bandwidth, *why));
    } else {
      result_.network += fmt::format("; every link held to {} each way (tbf)", s_.network_bandwidth);
    }
  }

  void floors() {
    progress_.start("floors: loopback round trip and seam call");
    auto rtt = loopback_round_trips({std::size_t(2'000), s_.compare_rate > 0 ? std::min(s_.compare_rate, 2'000.0) : 1'000.0, 100, 200});
    result_.floors = {latency_summary::of(rtt), seam_call_ns(500'000), {}, {}};
    progress_.done(fmt::format("loopback p50 {:.1f} µs, p99 {:.1f} µs; seam call {:.0f} ns", result_.floors.loopback_rtt.p50,
                               result_.floors.loopback_rtt.p99, result_.floors.seam_call_ns));
    if (o_.targets.empty()) return;
    auto const& to = o_.targets.front().address;
    progress_.start(fmt::format("floors: GET /health round trip to {}", to));
    try {
      result_.floors.target_rtt = latency_summary::of(health_round_trips(to, 2'000));
      result_.floors.target = to;
      progress_.done(fmt::format("p50 {:.1f} µs, p99 {:.1f} µs", result_.floors.target_rtt->p50, result_.floors.target_rtt->p99));
    } catch (std::runtime_error const& e) {
      progress_.done("not measured");
      result_.warnings.push_back(fmt::format("the round trip to {} was not measured: {}", to, e.what()));
    }
  }

  /// How the scenario starts a deployment of `kind`, before limits and replicas.
  deployment_options options_for(topology const& kind) const {
    deployment_options d;
    d.kind = kind;
    d.threads = s_.deployment_threads;
    d.seed = s_.seed;
    d.bin_dir = o_.bin_dir;
    d.log_dir = dir_ + "/logs";
    for (auto const& i : s_.inject_latency) d.extra_args.insert(d.extra_args.end(), {"--inject-latency", i});
    // Slow and error faults are switched through each process's admin endpoint.
    if (std::any_of(s_.faults.begin(), s_.faults.end(), [](fault const& f) { return f.in_process(); })) d.extra_args.push_back("--admin");
    d.split_args = s_.split_args();
    d.balance = s_.balance;
    d.network = network_.get();
    return d;
  }

  /// How the scenario starts a deployment of `kind` for the main phases: its limits and replicas too.
  deployment_options started_options(topology const& kind) const {
    auto d = options_for(kind);
    d.cpu_limits = parse_cpu_limits(s_.cpu_limits, s_.deployments);
    d.replicas = parse_replicas(s_.replicas, s_.deployments);
    return d;
  }

  /// Every deployment up at once, so that repetitions can alternate between them.
  void start() {
    if (!o_.targets.empty()) return reach_targets();
    warn_unreached();
    for (auto const& kind : s_.deployments) {
      auto d = started_options(kind);
      progress_.start(fmt::format("start {}", name_of(kind)));
      auto& sub = subjects_.emplace_back();
      sub.kind = kind;
      try {
        sub.processes = std::make_unique<deployment>(d);
      } catch (std::runtime_error const& e) {
        subjects_.clear();  // stops whatever had started
        std::filesystem::remove_all(dir_);
        throw deployment_error(e.what());
      }
      sub.address = sub.processes->address();
      sub.mix = make_workload(s_, sub.address);  // built once, used by every run
      sub.result.name = std::string(name_of(kind));
      for (auto const& p : sub.processes->processes()) sub.result.processes.push_back({p.name, p.address, 0});
      progress_.done(fmt::format("{} process{} up, front door {}", sub.result.processes.size(), sub.result.processes.size() > 1 ? "es" : "",
                                 sub.processes->address()));
    }
  }

  /// A CPU limit or replicas name a process; a topology other than the monolith without it runs
  /// unlimited or once, and its comparison says so.
  void warn_unreached() {
    auto warn = [&](std::string const& process, std::string const& what) {
      for (auto const& t : s_.deployments) {
        auto names = t.process_names();
        if (t.single_binary() || std::find(names.begin(), names.end(), process) != names.end()) continue;
        result_.warnings.push_back(fmt::format("{}: no process of it is named {}, so {} does not apply to it", t.name(), process, what));
      }
    };
    for (auto const& l : parse_cpu_limits(s_.cpu_limits, s_.deployments)) warn(l.process, fmt::format("the CPU limit {}={:g}", l.process, l.cores));
    for (auto const& r : parse_replicas(s_.replicas, s_.deployments)) warn(r.process, fmt::format("{} replicas of {}", r.count, r.process));
  }

  /// Each target answering /health, its workload built and its processes named by their /metrics
  /// addresses; a target that does not answer is a deployment_error, as a process that cannot start.
  void reach_targets() {
    for (auto const& t : o_.targets) {
      progress_.start(fmt::format("reach {} at {}", t.name, t.url));
      if (!wait_healthy(t.address, std::chrono::seconds(5))) throw deployment_error(fmt::format("{} at {} did not answer GET /health within 5 s", t.name, t.url));
      for (auto const& m : t.metrics)
        if (!scrape_process(m))
          throw deployment_error(fmt::format("{}'s metrics at {} have no process_cpu_seconds_total and process_resident_memory_bytes", t.name, m));
      auto& sub = subjects_.emplace_back();
      sub.kind = t.name == "monolith" ? topology::monolith() : topology::split();
      sub.target = &t;
      sub.address = t.address;
      sub.mix = make_workload(s_, sub.address);
      sub.result.name = t.name;
      sub.result.target = t.url;
      sub.result.resources_measured = !t.metrics.empty();
      for (auto const& m : t.metrics) sub.result.processes.push_back({m, m, 0});
      if (t.metrics.empty())
        result_.warnings.push_back(fmt::format("{}: no --metrics {}=URL,... was given, so its CPU and memory were not measured", t.name, t.name));
      progress_.done(t.metrics.empty() ? std::string("answering; no /metrics given: CPU and memory not measured")
                                       : fmt::format("answering; CPU and memory from {} /metrics", t.metrics.size()));
    }
    if (!s_.faults.empty()) result_.warnings.push_back("the scenario's faults were not run: they act on processes started here");
    if (s_.scaling) result_.warnings.push_back("the scaling phase was not run: it starts deployments of its own");
    if (s_.distance) result_.warnings.push_back("the distance phase was not run: it starts deployments of its own");
  }

  /// Each process's CPU seconds now: from its pid, or a target's /metrics (negative where unknown),
  /// a target's resident memory kept as its peak of the samples taken.
  std::vector<double> cpu_now(subject& sub) {
    std::vector<double> out;
    if (sub.processes) {
      for (auto const& p : sub.processes->processes()) out.push_back(os::cpu_seconds(p.pid));
      return out;
    }
    for (std::size_t i = 0; i < sub.target->metrics.size(); ++i) {
      auto sample = scrape_process(sub.target->metrics[i]);
      out.push_back(sample ? sample->cpu_seconds : -1.0);
      if (sample) sub.result.processes[i].peak_rss_bytes = std::max(sub.result.processes[i].peak_rss_bytes, sample->resident_bytes);
    }
    return out;
  }

  /// False once a process of the deployment has died: it is reported and measured no further.
  bool alive(subject& sub) {
    if (sub.result.failure) return false;
    if (!sub.processes) return true;  // a target's processes are not ours to watch
    if (auto f = sub.processes->failure()) {
      sub.result.failure = *f;
      result_.warnings.push_back(fmt::format("{} failed mid-run; figures after the failure are missing: {}", sub.result.name, f->substr(0, f->find('\n'))));
      return false;
    }
    return true;
  }

  run_measurement measure(subject& sub, double rate, std::chrono::nanoseconds duration, std::string const& label) {
    progress_.start(label);
    auto hp = cli::parse_host_port(sub.address);
    auto lo = s_.load_at(rate, duration);
    lo.host = hp.host;
    lo.port = hp.port;
    lo.cancel = o_.cancel;
    std::vector<double> before, after;
    lo.at_measure_start = [&] { before = cpu_now(sub); };
    lo.at_measure_end = [&] { after = cpu_now(sub); };
    auto loaded = run_load(lo, sub.mix, [&](load_progress const& p) { progress_.live(p); });
    std::vector<process_cpu> cpu;
    bool scraped = std::none_of(before.begin(), before.end(), [](double x) { return x < 0; }) &&
                   std::none_of(after.begin(), after.end(), [](double x) { return x < 0; });
    if (!sub.processes && !scraped) {  // a target's /metrics did not answer: this window's CPU is unknown, not zero
      result_.warnings.push_back(fmt::format("{}: a process's /metrics did not answer at the edge of a window at {:.0f} req/s; that window's CPU "
                                             "is not measured", sub.result.name, rate));
      before.clear();
    }
    for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
      auto const& name = sub.processes ? sub.processes->processes()[i].name : sub.result.processes[i].name;
      cpu.push_back({name, before[i] >= 0 && after[i] >= 0 ? after[i] - before[i] : 0.0});
    }
    auto m = measurement_of(loaded, rate, workload_routes(s_), std::move(cpu));
    progress_.spent(seconds_of(duration + s_.warmup));
    auto cpu_text = m.cpu.empty() ? std::string("CPU not measured") : fmt::format("{:.1f} µs CPU/request", m.cpu_us_per_request);
    progress_.done(fmt::format("{:.0f} req/s, p50 {:.1f} µs, p99 {:.1f} µs, {} errors, {}, hiccup p99 {:.0f} µs", m.throughput_rps, m.latency.p50,
                               m.latency.p99, m.errors, cpu_text, m.hiccups.p99));
    return m;
  }

  /// One warm-up repetition per deployment, discarded; then pairs in ABBA order (A B, B A, A B,
  /// ...), so that neither side always goes first and each pair ran side by side in time.
  void compare() {
    int place = 0;
    auto one = [&](subject& sub, int rep, bool warmup) {
      if (cancelled() || !alive(sub)) return;
      auto label = warmup ? fmt::format("[warm-up] {} at {:.0f} req/s", sub.result.name, s_.compare_rate)
                          : fmt::format("[compare {}/{}] {} at {:.0f} req/s", rep + 1, s_.repetitions, sub.result.name, s_.compare_rate);
      auto m = measure(sub, s_.compare_rate, s_.compare_duration, label);
      if (m.cancelled || !alive(sub)) return;
      if (warmup) {
        sub.result.warmup.push_back(std::move(m));
      } else {
        sub.result.compare.push_back(std::move(m));
        sub.result.compare_order.push_back(place);
      }
      ++place;
    };
    for (auto& sub : subjects_) one(sub, 0, true);
    for (int rep = 0; rep < s_.repetitions; ++rep)
      for (std::size_t j = 0; j < subjects_.size(); ++j) one(subjects_[rep % 2 == 0 ? j : subjects_.size() - 1 - j], rep, false);
    // Where the machine's own stalls are of the order of the tail, the tail is the machine's.
    for (auto const& sub : subjects_) {
      int machine = 0;
      for (auto const& m : sub.result.compare) machine += m.hiccups.p99 * 4 >= m.latency.p99 ? 1 : 0;
      if (machine * 2 > static_cast<int>(sub.result.compare.size()))
        result_.warnings.push_back(fmt::format("{}: in {} of {} repetitions the machine's own stalls (hiccup p99) were a quarter or more of "
                                               "the p99 measured: p99 here is the machine's, not the code's",
                                               sub.result.name, machine, sub.result.compare.size()));
    }
  }

  /// Each deployment searches for its capacity; their steps interleave, one each per round. A
  /// failing step is run again and decided on both windows merged.
  void sweep() {
    std::vector<subject*> all;
    for (auto& sub : subjects_) all.push_back(&sub);
    auto budgets = sweep_budgets(all, "the sweep");
    auto rules = sweep_rules();
    std::vector<capacity_search> searches(subjects_.size(), capacity_search(s_.sweep_start, s_.sweep_factor, s_.sweep_max));
    for (bool any = true; any && !cancelled();) {
      any = false;
      for (std::size_t i = 0; i < subjects_.size() && !cancelled(); ++i) {
        auto& sub = subjects_[i];
        auto rate = searches[i].next_rate();
        if (!rate || !alive(sub)) continue;  // a dead deployment skips its steps; the others go on
        any = true;
        auto step = step_at(sub, *rate, rules, fmt::format("[sweep] {}", sub.result.name));
        if (step.attempts.empty()) continue;
        searches[i].record(step.rate, step.outcome);
        sub.result.sweep.push_back(std::move(step));
      }
    }
    for (std::size_t i = 0; i < subjects_.size(); ++i) subjects_[i].result.capacity = searches[i].bounds();
  }

  step_rules sweep_rules() const { return {seconds_of(s_.slo_p99) * 1e6, s_.max_error_rate, 0.95}; }

  /// One step of a capacity search: a failing step is run again and decided on both windows
  /// merged. No attempts when the run was cancelled or the deployment died.
  sweep_step step_at(subject& sub, double rate, step_rules const& rules, std::string const& label) {
    sweep_step step;
    step.rate = rate;
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto m = measure(sub, rate, s_.sweep_duration, fmt::format("{} at {:.0f} req/s{}", label, rate, attempt ? " (again)" : ""));
      if (m.cancelled || !alive(sub)) break;
      step.attempts.push_back(std::move(m));
      decide_step(step, rules);
      if (step.outcome != step_outcome::failed) break;
    }
    return step;
  }

  /// The process of deployment `d` (topology `t`) to replicate: the one running the scenario's
  /// service, or the one that spent the most CPU in the compare phase (the front door's where
  /// that was not measured). The monolith's is its one process.
  std::string scaled_process(topology const& t, deployment_measurement const& d) const {
    if (s_.scaling_service != "auto") return t.process_of(s_.scaling_service);
    std::map<std::string, double> seconds;
    for (auto const& m : d.compare)
      for (auto const& c : m.cpu) seconds[c.name] += c.seconds;
    auto most = std::max_element(seconds.begin(), seconds.end(), [](auto const& a, auto const& b) { return a.second < b.second; });
    return most == seconds.end() ? t.process_of("gateway") : most->first;
  }

  /// Each deployment started again with 1, 2, 4... replicas of its scaled process, every process
  /// held to the same CPU per replica (in the shortest CFS period, as the sweep's budget), and
  /// swept to its capacity; the deployments measured earlier are stopped by then.
  void scaling() {
    for (auto& result : result_.deployments) {
      auto t = std::find_if(s_.deployments.begin(), s_.deployments.end(), [&](topology const& x) { return x.name() == result.name; });
      if (t == s_.deployments.end()) continue;
      scaling_measurement sm{scaled_process(*t, result), s_.scaling_cores, s_.scaling_rate, {}};
      for (int n : s_.scaling_replicas) {
        if (cancelled()) break;
        auto point = scaling_point_of(result.name, *t, sm.process, n);
        if (!point) break;  // could not start: more replicas would not either
        sm.points.push_back(std::move(*point));
      }
      result.scaling = std::move(sm);
    }
  }

  /// The deployment `name` with `n` replicas of `process`, started, swept and stopped; nothing,
  /// with a warning, when it could not start.
  std::optional<scaling_point> scaling_point_of(std::string const& name, topology const& kind, std::string const& process, int n) {
    auto d = options_for(kind);
    d.replicas = {{process, n}};
    for (auto p : process_names(kind)) d.cpu_limits.push_back({std::string(p), s_.scaling_cores, os::shortest_cpu_period(s_.scaling_cores)});
    subject sub;
    sub.kind = kind;
    sub.result.name = name;
    progress_.start(fmt::format("[scaling] {} with {} × {}", name, n, process));
    try {
      sub.processes = std::make_unique<deployment>(d);
    } catch (std::runtime_error const& e) {
      progress_.done("could not start");
      result_.warnings.push_back(fmt::format("{} with {} replicas of {} could not start: {}", name, n, process, e.what()));
      return std::nullopt;
    }
    auto const& procs = sub.processes->processes();
    progress_.done(fmt::format("{} processes, each held to {:g} cores", procs.size(), s_.scaling_cores));
    sub.address = sub.processes->address();
    sub.mix = make_workload(s_, sub.address);
    scaling_point point;
    point.replicas = n;
    point.cores = s_.scaling_cores * static_cast<double>(procs.size());
    auto requests = [&] {
      std::vector<std::uint64_t> out;
      for (auto const& p : procs)
        if (p.name == process) out.push_back(requests_served(p.address).value_or(0));
      return out;
    };
    auto before = requests();
    capacity_search search(s_.sweep_start, s_.sweep_factor, s_.sweep_max);
    while (auto rate = search.next_rate()) {
      if (cancelled() || !alive(sub)) break;
      auto step = step_at(sub, *rate, sweep_rules(), fmt::format("[scaling] {} ×{}", name, n));
      if (step.attempts.empty()) break;
      search.record(step.rate, step.outcome);
      if (step.outcome == step_outcome::passed) {
        auto const& a = step.attempts.back();
        point.cores_used = a.seconds > 0 ? a.cpu_seconds_total / a.seconds : 0;
      }
      point.sweep.push_back(std::move(step));
    }
    point.capacity = search.bounds();
    auto after = requests();
    for (std::size_t k = 0; k < after.size() && k < before.size(); ++k) point.replica_requests.push_back(after[k] - before[k]);
    for (auto const& p : procs) point.peak_rss_bytes += p.pid > 0 ? os::peak_resident_bytes(p.pid) : 0;
    if (sub.result.failure) result_.warnings.push_back(fmt::format("{} with {} replicas of {}: {}", name, n, process, *sub.result.failure));
    return point;
  }

  /// The breakdown phase (breakdown.hpp) on the deployments up for the main phases, each in turn.
  void breakdown() {
    std::vector<breakdown_subject> up;
    for (auto& sub : subjects_) {
      if (!alive(sub)) continue;
      auto hp = cli::parse_host_port(sub.address);
      up.push_back({sub.result.name, hp.host, hp.port, &sub.mix});
    }
    auto rate = s_.breakdown_rate > 0 ? s_.breakdown_rate : s_.compare_rate;
    auto lo = s_.load_at(rate, s_.breakdown_duration);
    lo.cancel = o_.cancel;
    constexpr int rounds = 4;
    result_.breakdown = measure_breakdown(up, lo, rounds, [&](std::string const& name, std::function<load_result()> const& run) {
      progress_.start(fmt::format("[breakdown] {} at {:.0f} req/s, Server-Timing asked", name, rate));
      auto r = run();
      progress_.spent(seconds_of(s_.breakdown_duration / rounds + s_.warmup));
      progress_.done(fmt::format("{:.0f} req/s, p50 {:.1f} µs", r.throughput_rps(), static_cast<double>(r.all.response_time.value_at_percentile(50)) / 1e3));
      return r;
    });
  }

  /// A deployment of `kind` started alone, as `d` says, its workload built; nothing, with a
  /// warning, when it could not start.
  std::unique_ptr<subject> start_alone(topology const& kind, deployment_options const& d, std::string const& label) {
    auto sub = std::make_unique<subject>();
    sub->kind = kind;
    sub->result.name = std::string(name_of(kind));
    progress_.start(label);
    try {
      sub->processes = std::make_unique<deployment>(d);
    } catch (std::runtime_error const& e) {
      progress_.done("could not start");
      result_.warnings.push_back(fmt::format("{}: the {} could not start: {}", label, sub->result.name, e.what()));
      return nullptr;
    }
    sub->address = sub->processes->address();
    sub->mix = make_workload(s_, sub->address);
    progress_.done(fmt::format("{} process{} up, front door {}", sub->processes->processes().size(),
                               sub->processes->processes().size() > 1 ? "es" : "", sub->address));
    return sub;
  }

  /// One deployment swept alone to its capacity, held to the scenario's CPU budget while it is.
  std::pair<std::vector<sweep_step>, std::optional<capacity_bounds>> sweep_alone(subject& sub, std::string const& label) {
    auto budgets = sweep_budgets({&sub}, "the distance phase's sweep");
    std::vector<sweep_step> steps;
    capacity_search search(s_.sweep_start, s_.sweep_factor, s_.sweep_max);
    while (auto rate = search.next_rate()) {
      if (cancelled() || !alive(sub)) break;
      auto step = step_at(sub, *rate, sweep_rules(), label);
      if (step.attempts.empty()) break;
      search.record(step.rate, step.outcome);
      steps.push_back(std::move(step));
    }
    return {std::move(steps), search.bounds()};
  }

  /// The split started again at each of the scenario's round trips (half of it added to each
  /// direction of every call to a peer), its compare windows paired with the monolith's in ABBA
  /// order, and swept; the monolith, which has no distance between processes, started once,
  /// measured beside every point and swept once. The deployments measured earlier are stopped by
  /// then, and each point's split is stopped before the next starts.
  void distance() {
    bool both = std::find(s_.deployments.begin(), s_.deployments.end(), topology::monolith()) != s_.deployments.end() &&
                std::find(s_.deployments.begin(), s_.deployments.end(), topology::split()) != s_.deployments.end();
    if (!both) {
      result_.warnings.push_back("the distance phase was not run: it compares the split with the monolith, and the run did not measure both");
      return;
    }
    distance_measurement dm;
    auto mono = start_alone(topology::monolith(), started_options(topology::monolith()), "[distance] start monolith");
    if (!mono) return;
    auto compare_label = [&](std::string const& where, std::string const& who) {
      return fmt::format("[distance {}] {} at {:.0f} req/s", where, who, s_.compare_rate);
    };
    measure(*mono, s_.compare_rate, s_.compare_duration, compare_label("warm-up", "monolith"));  // discarded
    if (s_.distance_sweep && !cancelled() && alive(*mono)) {
      std::tie(dm.monolith_sweep, dm.monolith_capacity) = sweep_alone(*mono, "[distance sweep] monolith");
      dm.sweep_cpu_budget = mono->result.sweep_cpu_budget;
    }
    for (auto round_trip : s_.distance_round_trips) {
      if (cancelled() || !alive(*mono)) break;
      auto shown = cli::format_duration(round_trip);
      auto at = scenario(s_);
      at.network_delay = round_trip.count() > 0 ? cli::format_duration(round_trip / 2) : std::string();
      auto d = started_options(topology::split());
      d.split_args = at.split_args();
      auto split = start_alone(topology::split(), d,
                               fmt::format("[distance] start split, round trip {}{}", shown, at.network_delay.empty() ? "" : ", " + at.network_delay + " each way"));
      if (!split) break;  // could not start: at other distances it would not either
      distance_point point;
      point.round_trip_us = std::chrono::duration<double, std::micro>(round_trip).count();
      measure(*split, s_.compare_rate, s_.compare_duration, compare_label(shown + " warm-up", "split"));  // discarded
      for (int rep = 0; rep < s_.distance_repetitions && !cancelled(); ++rep) {
        auto where = fmt::format("{} {}/{}", shown, rep + 1, s_.distance_repetitions);
        std::optional<run_measurement> m, sp;
        // ABBA: the monolith first in even pairs, the split first in odd ones.
        for (int k = 0; k < 2; ++k) {
          bool monolith_now = (k == 0) == (rep % 2 == 0);
          auto& sub = monolith_now ? *mono : *split;
          if (cancelled() || !alive(sub)) break;
          auto r = measure(sub, s_.compare_rate, s_.compare_duration, compare_label(where, sub.result.name));
          if (r.cancelled || !alive(sub)) break;
          (monolith_now ? m : sp) = std::move(r);
        }
        if (!m || !sp) break;  // a pair half measured is no pair
        point.monolith.push_back(std::move(*m));
        point.split.push_back(std::move(*sp));
      }
      if (s_.distance_sweep && !cancelled() && alive(*split)) {
        std::tie(point.sweep, point.capacity) = sweep_alone(*split, fmt::format("[distance sweep {}] split", shown));
        if (split->result.sweep_cpu_budget != dm.sweep_cpu_budget) dm.sweep_cpu_budget.reset();
      }
      if (split->result.failure) result_.warnings.push_back(fmt::format("the split at a round trip of {}: {}", shown, *split->result.failure));
      split.reset();  // stops every process of this point
      dm.points.push_back(std::move(point));
    }
    if (mono->result.failure) result_.warnings.push_back(fmt::format("the monolith of the distance phase: {}", *mono->result.failure));
    result_.distance = std::move(dm);
  }

  /// The payload sweeps on the deployments of the main phases, each window the same request at
  /// the payload rate (bench/runner/payload.hpp); every deployment is compared with the monolith.
  void payload() {
    auto has_monolith = std::any_of(subjects_.begin(), subjects_.end(), [](subject const& sub) { return sub.result.name == "monolith"; });
    if (!has_monolith || subjects_.size() < 2) {
      result_.warnings.push_back("the payload phase was not run: it compares each deployment with the monolith, and they were not both measured");
      return;
    }
    std::vector<payload_subject> who;
    for (auto const& sub : subjects_) who.push_back({sub.result.name, sub.address});
    result_.payload = run_payload(s_, who, [&](std::size_t i, request_mix const& mix, std::string const& label) -> std::optional<run_measurement> {
      auto& sub = subjects_[i];
      if (cancelled() || !alive(sub)) return std::nullopt;
      auto workload = std::exchange(sub.mix, mix);
      auto m = measure(sub, s_.payload_rate, s_.payload_duration, label);
      sub.mix = std::move(workload);
      if (m.cancelled || !alive(sub)) return std::nullopt;
      return m;
    });
  }

  /// The scenario's CPU budget, one group per deployment holding all its processes; none, with a
  /// warning naming `phase` and saying why, where per-process limits are set or no group can be
  /// made here. The groups go when the sweep ends, their processes back to where limits are not.
  std::vector<std::unique_ptr<os::cpu_limit>> sweep_budgets(std::vector<subject*> const& subjects, std::string_view phase) {
    std::vector<std::unique_ptr<os::cpu_limit>> groups;
    double cores = s_.sweep_cpu_budget;
    if (cores <= 0) return groups;
    if (!o_.targets.empty()) {
      result_.warnings.push_back(fmt::format("{} ran without its CPU budget of {:g} cores, since the deployments were not started here: "
                                             "each deployment's throughput at the SLO is what its own machines give it",
                                             phase, cores));
      return groups;
    }
    auto without = [&](std::string const& why) {
      auto warning = fmt::format("{} ran without its CPU budget of {:g} cores, {}: each deployment's throughput at the SLO "
                                 "is what it got of the machine beside the driver",
                                 phase, cores, why);
      // Said once, though the distance phase asks for a budget at every point.
      if (std::find(result_.warnings.begin(), result_.warnings.end(), warning) == result_.warnings.end()) result_.warnings.push_back(warning);
      groups.clear();
      for (auto* sub : subjects) sub->result.sweep_cpu_budget.reset();
    };
    if (!s_.cpu_limits.empty()) {
      without("since per-process CPU limits are set");
      return groups;
    }
    auto period = os::shortest_cpu_period(cores);
    progress_.start(fmt::format("{}: each deployment held to {:g} cores", phase, cores));
    try {
      for (auto* sub : subjects) {
        auto& group = groups.emplace_back(std::make_unique<os::cpu_limit>(label_of(sub->result.name) + "-sweep", cores, period));
        for (auto const& p : sub->processes->processes()) group->add(p.pid);
        sub->result.sweep_cpu_budget = cores;
      }
    } catch (std::exception const& e) {
      progress_.done("no CPU budget");
      without(fmt::format("since no control group could hold it ({})", e.what()));
      return groups;
    }
    progress_.done(fmt::format("one {} group each, {:g} ms of every {:g} ms period", name_of(groups.front()->version()),
                               cores * static_cast<double>(period.count()) / 1e3, static_cast<double>(period.count()) / 1e3));
    return groups;
  }

  /// Each fault in a run of its own against each deployment, the deployments alternating.
  void faults() {
    if (!o_.targets.empty()) return;  // reach_targets() said why
    for (auto const& f : s_.faults) {
      for (auto& sub : subjects_) {
        if (cancelled() || !alive(sub)) continue;
        progress_.start(fmt::format("[fault] {} in the {} at {:.0f} req/s", f.text(), sub.result.name, s_.fault_rate));
        fault_measurement m;
        try {
          m = run_fault(*sub.processes, sub.kind, sub.mix, s_, f, o_.cancel, [&](load_progress const& p) { progress_.live(p); });
        } catch (std::runtime_error const& e) {
          sub.result.failure = e.what();
          result_.warnings.push_back(fmt::format("{}: {}; its later figures are missing", sub.result.name, e.what()));
          continue;
        }
        progress_.spent(seconds_of(s_.fault_duration + s_.warmup));
        std::string hit;
        for (auto const& r : m.routes) hit += fmt::format("{}{} {:.1f}%", hit.empty() ? "" : ", ", r.name, r.availability * 100);
        progress_.done(fmt::format("available during the fault: {}; {} restart{}", hit, m.restarts.size(), m.restarts.size() == 1 ? "" : "s"));
        for (auto const& w : m.warnings) result_.warnings.push_back(fmt::format("{} {}: {}", sub.result.name, m.spec, w));
        sub.result.faults.push_back(std::move(m));
      }
    }
  }

  void memory() {
    for (auto& sub : subjects_) {
      if (!sub.processes) {  // a target: the peak of the samples taken at each window's edges
        cpu_now(sub);
        for (auto const& p : sub.result.processes) sub.result.peak_rss_bytes += p.peak_rss_bytes;
        continue;
      }
      auto const& procs = sub.processes->processes();
      for (std::size_t k = 0; k < procs.size(); ++k) {
        sub.result.processes[k].peak_rss_bytes = procs[k].pid > 0 ? os::peak_resident_bytes(procs[k].pid) : 0;
        sub.result.peak_rss_bytes += sub.result.processes[k].peak_rss_bytes;
      }
      alive(sub);
    }
  }

  void stop() {
    for (auto& sub : subjects_) {
      sub.processes.reset();  // stops every process
      result_.deployments.push_back(std::move(sub.result));
    }
    subjects_.clear();
  }

  scenario const& s_;
  run_options const& o_;
  std::string dir_;
  progress_printer progress_;
  std::unique_ptr<os::network> network_;              ///< with network = netns; outlives the processes in it
  std::unique_ptr<os::inside_namespace> driver_ns_;   ///< this thread on the driver's host while the run lasts
  std::vector<subject> subjects_;
  run_result result_;
};

}  // namespace

run_outcome run_scenario(scenario const& s, run_options const& options) {
  auto id = utc_now("%Y%m%dT%H%M%SZ") + "-" + s.name;
  run_outcome out;
  out.dir = options.results_dir + "/runs/" + id;
  std::filesystem::create_directories(out.dir + "/logs");
  out.result = scenario_run(s, options, out.dir).run();
  return out;
}

}  // namespace splitbench::bench

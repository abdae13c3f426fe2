#include "bench/runner/run.hpp"

#include "bench/driver/files.hpp"
#include "bench/runner/floors.hpp"
#include "bench/driver/output.hpp"
#include "bench/runner/procstat.hpp"
#include "bench/runner/workload.hpp"
#include "cli/options.hpp"

#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace splitbench::bench {
namespace json = boost::json;

namespace {

std::string utc_now(char const* format) {
  auto t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string command_output(std::string const& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

json::object build_info(std::string const& source_dir) {
  json::object b{{"compiler", std::string("gcc ") + __VERSION__}, {"build_type", SPLITBENCH_BUILD_TYPE}};
#ifdef __clang__
  b["compiler"] = std::string("clang ") + __clang_version__;
#endif
  auto commit = command_output("git -C '" + source_dir + "' rev-parse HEAD 2>/dev/null");
  b["commit"] = commit.empty() ? "unknown" : commit;
  b["dirty"] = !command_output("git -C '" + source_dir + "' status --porcelain --untracked-files=no 2>/dev/null").empty();
  return b;
}

/// Prints where a run is: one live line on a terminal, plain lines otherwise.
class progress_printer {
 public:
  explicit progress_printer(bool terminal) : terminal_(terminal) {}
  void start(std::string label) {
    label_ = std::move(label);
    if (!terminal_) fmt::print("{} ...\n", label_);
    std::fflush(stdout);
  }
  void live(load_progress const& p) {
    if (!terminal_) return;
    fmt::print("\r{}  {:4.1f}/{:.1f}s  {:8.0f} req/s  p99 {:8.1f} us  errors {}{}\x1b[K", label_, p.elapsed_seconds,
               p.total_seconds, p.last_second_rps, static_cast<double>(p.last_second_p99_ns) / 1e3, p.errors,
               p.warming_up ? "  (warm-up)" : "");
    std::fflush(stdout);
  }
  void done(std::string const& summary) {
    fmt::print("{}{}: {}\n", terminal_ ? "\r\x1b[K" : "", label_, summary);
    std::fflush(stdout);
  }

 private:
  bool terminal_;
  std::string label_;
};

/// One load run against one deployment, with the CPU its processes spent in the window.
json::object measure(deployment& d, scenario const& s, request_mix const& mix, std::vector<route_kind> const& kinds, double rate,
                     std::chrono::nanoseconds duration, run_options const& options, progress_printer& progress) {
  auto hp = cli::parse_host_port(d.address());
  load_options o;
  o.host = hp.host;
  o.port = hp.port;
  o.rate = rate;
  o.connections = s.connections;
  o.threads = s.driver_threads;
  o.duration = duration;
  o.warmup = s.warmup;
  o.timeout = s.timeout;
  o.seed = s.seed;
  o.cancel = options.cancel;
  auto const& procs = d.processes();
  std::vector<double> cpu_before(procs.size()), cpu_after(procs.size());
  o.at_measure_start = [&] {
    for (std::size_t i = 0; i < procs.size(); ++i) cpu_before[i] = process_cpu_seconds(procs[i].pid);
  };
  o.at_measure_end = [&] {
    for (std::size_t i = 0; i < procs.size(); ++i) cpu_after[i] = process_cpu_seconds(procs[i].pid);
  };
  auto r = run_load(o, mix, [&](load_progress const& p) { progress.live(p); });

  json::object cpu;
  double cpu_total = 0;
  for (std::size_t i = 0; i < procs.size(); ++i) {
    auto spent = cpu_after[i] >= 0 && cpu_before[i] >= 0 ? cpu_after[i] - cpu_before[i] : 0.0;
    cpu[procs[i].name] = spent;
    cpu_total += spent;
  }
  json::object routes;
  for (std::size_t i = 0; i < r.routes.size(); ++i) {
    auto const& route = r.routes[i];
    routes[name_of(kinds[i])] = json::object{{"responses", route.responses},
                                             {"errors", route.errors.total()},
                                             {"latency_us", latency_json(route.response_time)},
                                             {"service_time_us", latency_json(route.service_time)},
                                             {"histogram", route.response_time.encode()}};
  }
  auto error_rate = r.requests ? static_cast<double>(r.errors.total() + r.unsent) / static_cast<double>(r.requests) : 0.0;
  json::object run{{"rate", rate},
                   {"seconds", r.measured_seconds},
                   {"throughput_rps", r.throughput_rps()},
                   {"requests", r.requests},
                   {"responses", r.all.responses},
                   {"errors", r.errors.total() + r.errors.connect},
                   {"unsent", r.unsent},
                   {"error_rate", error_rate},
                   {"latency_us", latency_json(r.all.response_time)},
                   {"service_time_us", latency_json(r.all.service_time)},
                   {"histogram", r.all.response_time.encode()},
                   {"routes", std::move(routes)},
                   {"cpu_seconds", std::move(cpu)},
                   {"cpu_seconds_total", cpu_total},
                   {"cpu_us_per_request", r.all.responses ? cpu_total * 1e6 / static_cast<double>(r.all.responses) : 0.0},
                   {"driver_utilisation", r.driver_utilisation()},
                   {"send_lag_p99_us", static_cast<double>(r.send_lag.value_at_percentile(99)) / 1e3},
                   {"warnings", [&] {
                      json::array w;
                      for (auto& x : warnings_of(r)) w.push_back(json::string(x));
                      return w;
                    }()},
                   {"cancelled", r.cancelled}};
  progress.done(fmt::format("{:.0f} req/s, p50 {:.1f} us, p99 {:.1f} us, {} errors, {:.1f} us CPU/request", r.throughput_rps(),
                            static_cast<double>(r.all.response_time.value_at_percentile(50)) / 1e3,
                            static_cast<double>(r.all.response_time.value_at_percentile(99)) / 1e3, r.errors.total() + r.errors.connect,
                            run.at("cpu_us_per_request").as_double()));
  return run;
}

void make_dirs(std::string const& path) {
  std::string partial;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!partial.empty() && ::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create " + partial);
    }
    if (i < path.size()) partial += path[i];
  }
}

}  // namespace

run_outcome run_scenario(scenario const& s, run_options const& options) {
  auto id = utc_now("%Y%m%dT%H%M%SZ") + "-" + s.name;
  run_outcome out;
  out.dir = options.results_dir + "/runs/" + id;
  make_dirs(out.dir + "/logs");
  progress_printer progress(options.terminal);
  auto cancelled = [&] { return options.cancel && options.cancel->load(); };

  json::object report{{"id", id}, {"created", utc_now("%Y-%m-%dT%H:%M:%SZ")},
                      {"partial", false}, {"machine", machine_info()}, {"build", build_info(options.source_dir)}};
  json::object scenario_json{{"name", s.name},
                             {"source", s.source},
                             {"toml", to_toml(s)},
                             {"slo_p99_us", static_cast<double>(s.slo_p99.count()) / 1e3},
                             {"sweep_max", s.sweep ? json::value(s.sweep_max) : json::value(nullptr)},
                             {"inject_latency", json::value_from(s.inject_latency)}};
  report["scenario"] = std::move(scenario_json);
  json::array warnings;

  // Floors first, on a quiet machine.
  progress.start("floors: loopback round trip and seam call");
  auto rtt = loopback_round_trips({std::size_t(2'000), s.compare_rate > 0 ? std::min(s.compare_rate, 2'000.0) : 1'000.0, 100, 200});
  auto seam = seam_call_ns(500'000);
  report["floors"] = json::object{{"loopback_rtt_us", latency_json(rtt)}, {"seam_call_ns", seam}};
  progress.done(fmt::format("loopback p50 {:.1f} us, p99 {:.1f} us; seam call {:.0f} ns", static_cast<double>(rtt.value_at_percentile(50)) / 1e3,
                            static_cast<double>(rtt.value_at_percentile(99)) / 1e3, seam));

  // Every deployment up at once, so that repetitions can alternate between them.
  std::vector<std::unique_ptr<deployment>> deployments;
  json::object deployments_json;
  std::vector<std::string> inject_args;
  for (auto const& i : s.inject_latency) inject_args.insert(inject_args.end(), {"--inject-latency", i});
  for (auto kind : s.deployments) {
    deployment_options o;
    o.kind = kind;
    o.threads = s.deployment_threads;
    o.seed = s.seed;
    o.bin_dir = options.bin_dir;
    o.log_dir = out.dir + "/logs";
    o.extra_args = inject_args;
    progress.start(fmt::format("start {}", name_of(kind)));
    try {
      deployments.push_back(std::make_unique<deployment>(o));
    } catch (std::runtime_error const& e) {
      // Nothing was measured: leave no run behind, only the reason (with the process's log).
      deployments.clear();
      std::filesystem::remove_all(out.dir);
      throw deployment_error(e.what());
    }
    json::array procs;
    for (auto const& p : deployments.back()->processes()) procs.push_back(json::object{{"name", p.name}, {"address", p.address}});
    progress.done(fmt::format("{} process{} up, front door {}", procs.size(), procs.size() > 1 ? "es" : "", deployments.back()->address()));
    deployments_json[name_of(kind)] = json::object{{"processes", std::move(procs)}, {"compare", json::array{}}, {"sweep", json::array{}},
                                                   {"failure", nullptr}};
  }
  auto kinds = workload_routes(s);
  // A deployment that died is reported and measured no further; the others go on.
  auto alive = [&](std::size_t i) {
    auto& entry = deployments_json[name_of(s.deployments[i])].as_object();
    if (!entry["failure"].is_null()) return false;
    if (auto f = deployments[i]->failure()) {
      entry["failure"] = *f;
      warnings.push_back(json::string(fmt::format("{} failed mid-run; figures after the failure are missing: {}", name_of(s.deployments[i]),
                                                  f->substr(0, f->find('\n')))));
      return false;
    }
    return true;
  };

  // Compare: the same rate, repeated, alternating which deployment goes first.
  for (int rep = 0; rep < s.repetitions && !cancelled(); ++rep) {
    for (std::size_t j = 0; j < deployments.size() && !cancelled(); ++j) {
      auto i = rep % 2 == 0 ? j : deployments.size() - 1 - j;
      if (!alive(i)) continue;
      auto& d = *deployments[i];
      auto mix = make_workload(s, d.address());
      progress.start(fmt::format("[compare {}/{}] {} at {:.0f} req/s", rep + 1, s.repetitions, name_of(s.deployments[i]), s.compare_rate));
      auto run = measure(d, s, mix, kinds, s.compare_rate, s.compare_duration, options, progress);
      if (alive(i) && !run.at("cancelled").as_bool())
        deployments_json[name_of(s.deployments[i])].as_object()["compare"].as_array().push_back(std::move(run));
    }
  }

  // Sweep: raise the rate until a deployment misses the SLO, errs, or cannot keep up.
  if (s.sweep) {
    std::vector<bool> sweeping(deployments.size(), true);
    for (double rate = s.sweep_start; rate <= s.sweep_max * 1.0001 && !cancelled(); rate *= s.sweep_factor) {
      bool any = false;
      for (std::size_t i = 0; i < deployments.size() && !cancelled(); ++i) {
        if (!sweeping[i] || !alive(i)) continue;
        any = true;
        auto mix = make_workload(s, deployments[i]->address());
        progress.start(fmt::format("[sweep] {} at {:.0f} req/s", name_of(s.deployments[i]), rate));
        auto run = measure(*deployments[i], s, mix, kinds, rate, s.sweep_duration, options, progress);
        if (run.at("cancelled").as_bool() || !alive(i)) break;
        auto p99 = run.at("latency_us").at("p99").to_number<double>();
        bool kept_up = run.at("throughput_rps").as_double() >= 0.95 * rate && run.at("unsent").to_number<std::uint64_t>() == 0;
        bool passed = kept_up && p99 * 1e3 <= static_cast<double>(s.slo_p99.count()) && run.at("error_rate").as_double() <= s.max_error_rate;
        run["passed"] = passed;
        deployments_json[name_of(s.deployments[i])].as_object()["sweep"].as_array().push_back(std::move(run));
        if (!passed) sweeping[i] = false;
      }
      if (!any) break;
    }
  }

  // Memory: each process's peak, read while it still runs.
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    auto& entry = deployments_json[name_of(s.deployments[i])].as_object();
    json::array procs;
    std::uint64_t total = 0;
    for (auto const& p : deployments[i]->processes()) {
      auto peak = p.pid > 0 ? peak_rss_bytes(p.pid) : 0;
      total += peak;
      procs.push_back(json::object{{"name", p.name}, {"address", p.address}, {"peak_rss_bytes", peak}});
    }
    alive(i);
    entry["processes"] = std::move(procs);
    entry["peak_rss_bytes"] = total;
  }
  deployments.clear();  // stops every process

  out.partial = cancelled();
  report["partial"] = out.partial;
  if (out.partial) warnings.push_back("the run was interrupted: this report holds only what was measured before");
  report["deployments"] = std::move(deployments_json);
  report["warnings"] = std::move(warnings);
  out.id = id;
  out.report = std::move(report);
  return out;
}

}  // namespace splitbench::bench

#include "bench/commands/commands.hpp"

#include "bench/driver/files.hpp"
#include "bench/report/markdown.hpp"
#include "bench/report/report_json.hpp"
#include "bench/runner/run.hpp"
#include "bench/runner/scenario.hpp"
#include "bench/runner/supervisor.hpp"
#include "bench/runner/target.hpp"
#include "cli/flags.hpp"
#include "cli/main.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <unistd.h>

namespace splitbench::bench {
namespace {

/// results/latest -> runs/<id>, replaced atomically.
void point_latest(std::string const& results_dir, std::string const& id) {
  auto link = results_dir + "/latest";
  auto tmp = link + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  if (::symlink(("runs/" + id).c_str(), tmp.c_str()) == 0) ::rename(tmp.c_str(), link.c_str());
}

}  // namespace

int run_command(int argc, char** argv, int first) {
  std::string scenario_file, results = "results";
  std::vector<std::string> overrides, inject, faults, cpu_limits, replicas, targets, metrics;
  std::optional<std::string> balance;
  std::optional<bool> restart;
  std::optional<std::vector<topology>> only;
  std::optional<std::string> network, bandwidth, delay;
  cli::command table{
      .name = "splitbench run",
      .summary = "the default comparison, configured: the deployments measured side by side, each against the monolith (floors, latency at a fixed rate "
                 "with interleaved repetitions, a sweep to the p99 SLO, the faults a scenario names, CPU and memory), the report under results/runs/<id>/ "
                 "and results/latest pointing at it",
      .flags = {cli::with_default(cli::text("scenario", scenario_file, "FILE", "the scenario to run"),
                                  "the built-in one, written out in bench/scenarios/default.toml"),
                deployment_flag(
                    [&](std::string_view v) {
                      if (!only) only.emplace();
                      auto given = v == "both" ? std::vector<topology>{topology::monolith(), topology::split()}
                                               : std::vector<topology>{parse_deployment(v)};
                      for (auto& t : given) {
                        if (std::find(only->begin(), only->end(), t) != only->end())
                          throw cli::usage_error("--deployment " + t.name() + " is given twice");
                        only->push_back(std::move(t));
                      }
                    },
                    "the scenario's (monolith and split)",
                    "a deployment to measure, repeatable (both: monolith and split); each other is compared with the monolith when the "
                    "monolith is measured too", true, {"monolith", "serialized", "split", "both"}),
                cli::each("set", overrides, "KEY=VALUE", "override a scenario field, e.g. sweep.slo_p99=5ms"),
                cli::each("inject-latency", inject, "SERVICE=DURATION", "every operation of that service answers this much later"),
                cli::each("fault", faults, "SERVICE:KIND@AT[/FOR]",
                          "a fault in a run of its own against each deployment, AT into the window, for FOR: kill, term or hang of "
                          "gateway, catalog, inventory, pricing or orders, or slow=DIST[:FRACTION] or error=FRACTION[:STATUS] of one of "
                          "the last four (e.g. pricing:kill@4s, catalog:hang@4s/2s, inventory:slow=lognormal(2ms,0.5)@4s/2s, "
                          "pricing:error=0.05:500@4s/2s)"),
                cpu_limit_flag(cpu_limits),
                replicas_flag(replicas),
                cli::one_of("balance", {"rr", "p2c"}, "the scenario's (p2c)",
                            "how the split's callers pick a replica: in turn (rr), or the less busy of two drawn at random (p2c)",
                            [&](std::string_view v) { balance = std::string(v); }),
                cli::one_of("restart", {"always", "never"}, "the scenario's (always)", "whether the supervisor restarts a process a fault stopped",
                            [&](std::string_view v) { restart = v == "always"; }),
                cli::each("target", targets, "NAME=URL",
                          "measure a deployment already running at URL (http://HOST:PORT, its front door) instead of starting one: NAME is "
                          "monolith or split; faults, the sweep's CPU budget and scaling need processes started here and are left out"),
                cli::each("metrics", metrics, "NAME=URL[,URL...]",
                          "the /metrics of each process of target NAME (http://HOST:PORT): its CPU and memory, read at each window's "
                          "edges; without it they are reported as not measured"),
                cli::text("results", results, "DIR", "where runs/ and latest go")},
      .examples = {"splitbench run", "splitbench run --deployment split --set repetitions=3 --set compare.rate=300",
                   "splitbench run --deployment serialized --deployment gateway+catalog,inventory,pricing+orders --deployment split",
                   "splitbench run --scenario my.toml --inject-latency pricing=300us --results /tmp/results",
                   "splitbench run --scenario bench/scenarios/faults.toml",
                   "splitbench run --set repetitions=2 --set sweep.enabled=false --fault pricing:kill@4s/2s",
                   "splitbench run --deployment split --cpu-limit pricing=0.5 --cpu-limit gateway=1",
                   "splitbench run --network netns --network-bandwidth 1gbit",
                   "splitbench run --network-delay 1ms --set sweep.enabled=false",
                   "splitbench run --target monolith=http://198.18.0.2:8080 --target split=http://198.18.0.3:8080 "
                   "--metrics monolith=http://198.18.0.2:8080"},
      .notes = "With no command, or with these options alone, splitbench runs the same: 'splitbench --set repetitions=3'.",
  };
  for (auto& f : network_flags(network, bandwidth, delay)) table.flags.insert(table.flags.end() - 1, std::move(f));  // before --results
  cli::parse(argc, argv, first, table);
  if (network) overrides.push_back("deployment.network=" + *network);
  if (delay) overrides.push_back("deployment.network_delay=" + *delay);
  if (bandwidth) overrides.push_back("deployment.network_bandwidth=" + *bandwidth);
  scenario s;
  try {
    s = load_scenario(scenario_file, overrides);
  } catch (scenario_error const& e) {
    throw cli::usage_error(e.what());
  }
  if (!s.network_bandwidth.empty() && s.network != "netns") throw cli::usage_error("--network-bandwidth limits the links of --network netns");
  check_network(s.network);
  std::vector<target_spec> reached;
  if (!targets.empty() || !metrics.empty()) {
    if (targets.empty()) throw cli::usage_error("--metrics names a target's processes: give --target NAME=URL too");
    for (auto [given, flag] : {std::pair{only.has_value(), "--deployment"}, {!cpu_limits.empty(), "--cpu-limit"}, {!replicas.empty(), "--replicas"},
                               {!inject.empty(), "--inject-latency"}, {!faults.empty(), "--fault"}, {s.network != "loopback", "--network"},
                               {!s.network_delay.empty(), "--network-delay"}})
      if (given) throw cli::usage_error(fmt::format("{} shapes deployments started here; with --target they run elsewhere", flag));
    reached = parse_targets(targets, metrics);
    // Before anything runs: a target that does not answer is the command line's to fix.
    for (auto const& t : reached) {
      if (!wait_healthy(t.address, std::chrono::seconds(5))) throw cli::usage_error(fmt::format("{} at {} did not answer GET /health within 5 s", t.name, t.url));
      for (auto const& m : t.metrics)
        if (!scrape_process(m))
          throw cli::usage_error(fmt::format("--metrics {}: {} answers no process_cpu_seconds_total and process_resident_memory_bytes on /metrics", t.name, m));
    }
    s.deployments.clear();
    for (auto const& t : reached) s.deployments.push_back(parse_deployment(t.name));
    s.cpu_limits.clear();
    s.replicas.clear();
  }
  if (only) s.deployments = *only;
  if (restart) s.fault_restart = *restart;
  if (!faults.empty()) {
    s.faults.clear();  // the command line's faults replace the scenario's
    for (auto const& text : faults) {
      try {
        s.faults.push_back(parse_fault(text));
      } catch (std::invalid_argument const& e) {
        throw cli::usage_error(std::string("--fault: ") + e.what());
      }
    }
    try {
      check_scenario(s, "--fault");
    } catch (scenario_error const& e) {
      throw cli::usage_error(e.what());
    }
  }
  if (!replicas.empty()) s.replicas = replicas;  // as the limits below
  if (balance) s.balance = *balance;
  try {
    parse_replicas(s.replicas, s.deployments);
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(fmt::format("{}: {}", replicas.empty() ? "the scenario's deployment.replicas" : "--replicas", e.what()));
  }
  if (!cpu_limits.empty()) s.cpu_limits = cpu_limits;  // the command line's limits replace the scenario's
  std::string limits_where;
  try {
    parse_cpu_limits(s.cpu_limits, s.deployments);
    if (!s.cpu_limits.empty() || s.scaling) limits_where = check_cpu_limits();  // scaling limits every process
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(fmt::format("{}: {}", cpu_limits.empty() ? "the scenario's deployment.cpu_limits" : "--cpu-limit", e.what()));
  } catch (std::runtime_error const& e) {
    throw cli::usage_error(e.what());  // no cgroup to limit CPU with: said before anything starts
  }
  for (auto const& i : inject) {
    if (i.find('=') == std::string::npos) throw cli::usage_error("--inject-latency takes SERVICE=DURATION, not '" + i + "'");
    cli::parse_duration(i.substr(i.find('=') + 1));
    s.inject_latency.push_back(i);
  }

  run_options o;
  o.bin_dir = executable_dir();
  o.results_dir = results;
  o.source_dir = SPLITBENCH_SOURCE_DIR;
  o.cancel = &cli::stop_on_signals();
  o.terminal = ::isatty(STDOUT_FILENO);
  o.targets = std::move(reached);
  fmt::print("splitbench run: scenario '{}' ({}), deployments:", s.name, s.source);
  for (auto k : s.deployments) fmt::print(" {}", name_of(k));
  for (auto const& t : o.targets) fmt::print("{} {} at {}", &t == &o.targets.front() ? "; measured where they run:" : ",", t.name, t.url);
  for (auto const& l : s.cpu_limits) fmt::print("{} {}", &l == &s.cpu_limits.front() ? "; CPU limits:" : ",", l);
  if (!limits_where.empty()) fmt::print(" (through {})", limits_where);
  fmt::print("\n");
  std::fflush(stdout);

  run_outcome outcome;
  try {
    outcome = run_scenario(s, o);
  } catch (deployment_error const& e) {
    throw cli::usage_error(e.what());
  }
  auto const& result = outcome.result;
  auto a = answer_of(result);
  write_file_atomically(outcome.dir + "/report.json", boost::json::serialize(to_json(result, a)) + "\n");
  write_file_atomically(outcome.dir + "/report.md", render_markdown(result, a));
  point_latest(results, result.id);
  fmt::print("\n{}\n\nreport: {}/report.md (and report.json); {}/latest points at it\n", headline_of(result, a), outcome.dir, results);
  // Charts, where the plotting library is: the run has succeeded either way.
  // Debian's interpreter first: python3-matplotlib is installed for it, not for others on PATH.
  auto plot = std::string(SPLITBENCH_SOURCE_DIR) + "/scripts/plot_report.py";
  std::string python = ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  if (::access(plot.c_str(), R_OK) == 0 && std::system((python + " -c 'import matplotlib' >/dev/null 2>&1").c_str()) == 0) {
    auto command = fmt::format("{} '{}' '{}' >/dev/null", python, plot, outcome.dir);
    if (std::system(command.c_str()) == 0) fmt::print("charts: {}/report.html\n", outcome.dir);
    else fmt::print("charts: {} failed; the report itself is complete\n", command);
  } else {
    fmt::print("charts: install python3-matplotlib (scripts/install-deps.sh does) and run /usr/bin/python3 scripts/plot_report.py {}\n",
               outcome.dir);
  }
  if (result.partial) return 130;
  // A deployment that died mid-run leaves a whole report, but the run did not measure what it was asked to.
  for (auto const& d : result.deployments)
    if (d.failure) {
      fmt::print(stderr, "splitbench run: {} failed during the run; see the report's warnings\n", d.name);
      return 1;
    }
  return 0;
}

}  // namespace splitbench::bench

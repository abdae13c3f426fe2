#include "bench/commands/commands.hpp"

#include "bench/runner/deployment.hpp"
#include "bench/runner/supervisor.hpp"
#include "bench/driver/files.hpp"
#include "cli/flags.hpp"
#include "net/delay_distribution.hpp"
#include "os/netns.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <chrono>
#include <algorithm>
#include <csignal>
#include <memory>
#include <cstdlib>
#include <ctime>
#include <unistd.h>

namespace splitbench::bench {

topology parse_deployment(std::string_view text) {
  try {
    return topology::parse(text);
  } catch (std::invalid_argument const& e) {
    throw cli::usage_error(std::string("--deployment ") + e.what());
  }
}

cli::flag deployment_flag(std::function<void(std::string_view)> set, std::string default_text, std::string help, bool repeatable,
                          std::vector<std::string> named) {
  return {.name = "deployment", .value = "TOPOLOGY",
          .type = "monolith, serialized (the monolith, every call through the codec), split, or a process per group of services, e.g. "
                  "gateway+catalog,inventory,pricing+orders",
          .default_text = std::move(default_text),
          .help = std::move(help),
          .set = std::move(set),
          .repeatable = repeatable,
          .choices = std::move(named)};
}

cli::flag cpu_limit_flag(std::vector<std::string>& limits) {
  return {.name = "cpu-limit", .value = "SERVICE=CORES", .type = "SERVICE: gateway, catalog, inventory, pricing, orders or monolith; CORES: a number from 0.01",
          .help = "hold that process, restarts included, to CORES cores through a cgroup's CFS quota per 100 ms, as Kubernetes' limits.cpu",
          .set = [&limits](std::string_view v) {
            parse_cpu_limit(v);  // a bad one fails here, its message naming the flag
            limits.emplace_back(v);
          },
          .repeatable = true};
}

std::vector<cli::flag> network_flags(std::optional<std::string>& network, std::optional<std::string>& bandwidth, std::optional<std::string>& delay) {
  return {cli::one_of("network", {"loopback", "netns"}, "loopback",
                      "where the processes talk: on 127.0.0.1, or each process and the driver on a host of its own (a network namespace "
                      "with an address from 198.18.0.0/24 on a veth pair to a bridge), every hop crossing a second TCP stack; netns needs root",
                      [&network](std::string_view v) { network = std::string(v); }),
          {.name = "network-bandwidth", .value = "RATE",
           .help = "with --network netns, every link held to RATE each way by a tbf qdisc (tc's form: 100mbit, 1gbit); where none can be "
                   "set, the report says so",
           .set = [&bandwidth](std::string_view v) {
             if (!os::is_rate(v)) throw cli::usage_error("--network-bandwidth takes a rate as tc writes it (e.g. 100mbit, 1gbit), not '" + std::string(v) + "'");
             bandwidth = std::string(v);
           }},
          {.name = "network-delay", .value = "DIST",
           .type = "a duration (1ms), uniform(LOW,HIGH), normal(MEAN,STDDEV), lognormal(MEDIAN,SIGMA) or empirical(FILE)",
           .help = "the split's callers add a one-way delay drawn from DIST to each direction of every call to a peer, on timers (no "
                   "thread, no CPU): 1ms adds about 2 ms to each internal hop",
           .set = [&delay](std::string_view v) {
             try {
               net::parse_distribution(v);
             } catch (std::invalid_argument const& e) {
               throw cli::usage_error(std::string("--network-delay: ") + e.what());
             }
             delay = std::string(v);
           }}};
}

void check_network(std::string const& network) {
  if (network == "netns" && ::geteuid() != 0)
    throw cli::usage_error("--network netns makes network namespaces, which needs root (or use --network loopback)");
}

cli::flag replicas_flag(std::vector<std::string>& replicas) {
  return {.name = "replicas", .value = "SERVICE=N", .type = "SERVICE: gateway, catalog, inventory, pricing, orders or monolith; N: 1 to 16",
          .help = "run that process N times: a service's replicas each on a port of its own, its callers balancing over them; the "
                  "gateway's or the monolith's sharing the front door's port (SO_REUSEPORT)",
          .set = [&replicas](std::string_view v) {
            parse_replica(v);  // a bad one fails here, its message naming the flag
            replicas.emplace_back(v);
          },
          .repeatable = true};
}

namespace {

/// What `up --json` writes once every process is ready: how to reach each process, and kill it.
std::string process_table(deployment const& d, topology const& kind, std::string const& log_dir) {
  boost::json::array processes;
  for (std::size_t i = 0; i < d.processes().size(); ++i) {
    auto const& p = d.processes()[i];
    auto limit = d.cpu_limit_of(i);
    processes.push_back({{"name", p.name},
                         {"replica", p.replica},
                         {"pid", p.pid},
                         {"address", p.address},
                         {"cpu_limit_cores", limit ? boost::json::value(limit->cores) : nullptr},
                         {"cgroup", limit ? boost::json::value(limit->cgroup) : nullptr},
                         {"netns", p.netns.empty() ? boost::json::value(nullptr) : boost::json::value(p.netns)},
                         {"log", p.log_path}});
  }
  boost::json::object table{{"schema", "splitbench.up/1"}, {"deployment", name_of(kind)}, {"address", d.address()},
                            {"log_dir", log_dir}, {"processes", std::move(processes)}};
  return boost::json::serialize(table) + "\n";
}

}  // namespace

int up_command(int argc, char** argv) {
  deployment_options o;
  o.bin_dir = executable_dir();
  std::vector<std::string> cpu_limits, replicas;
  std::string json_path;
  bool restart = false;
  std::optional<std::string> network, bandwidth, delay;
  cli::command table{
      .name = "splitbench up",
      .summary = "start a deployment and keep it up until interrupted; no process it started outlives it, even on SIGKILL",
      .flags = {cli::required(deployment_flag([&](std::string_view v) { o.kind = parse_deployment(v); }, "", "which topology of the storefront to start", false,
                                              {"monolith", "serialized", "split"})),
                cli::address("listen", o.host, o.port, "address of the front door (port 0: any free port)"),
                cli::whole("threads", o.threads, 1, 256, "threads of each process"),
                cli::whole("seed", o.seed, 0, INT64_MAX, "seed of the generated catalog and stock"),
                cli::with_default(cli::text("log-dir", o.log_dir, "DIR", "where each process's log goes"), "a new directory under /tmp"),
                {.name = "inject-latency", .value = "SERVICE=DURATION", .help = "every operation of that service answers this much later",
                 .set = [&](std::string_view v) { o.extra_args.insert(o.extra_args.end(), {"--inject-latency", std::string(v)}); },
                 .repeatable = true},
                cpu_limit_flag(cpu_limits),
                replicas_flag(replicas),
                cli::one_of("balance", o.balance, {"rr", "p2c"},
                            "how the split's callers pick a replica: in turn (rr), or the less busy of two drawn at random (p2c)"),
                {.name = "admin", .help = "start every process with --admin: slow and error faults switched by hand, e.g. "
                                          "curl -X PUT -d slow=2ms http://PRICING/admin/faults/pricing (see splitbench-monolith --help)",
                 .set = [&](std::string_view) { o.extra_args.push_back("--admin"); }},
                cli::one_of("restart", {"always", "never"}, "never", "restart a process that dies (100 ms back-off, doubling to 2 s), or stop",
                            [&](std::string_view v) { restart = v == "always"; }),
                cli::text("json", json_path, "FILE",
                          "once every process is ready, write each one's name, pid, address and CPU limit here; written again after a restart")},
      .examples = {"splitbench up --deployment monolith --listen 127.0.0.1:8080",
                   "splitbench up --deployment split --listen 127.0.0.1:8080 --inject-latency pricing=300us",
                   "splitbench up --deployment split --listen 127.0.0.1:0 --cpu-limit pricing=0.5 --json /tmp/up.json",
                   "splitbench up --deployment split --listen 127.0.0.1:8080 --admin --restart always",
                   "splitbench up --deployment split --listen 127.0.0.1:0 --replicas catalog=3 --balance p2c --json /tmp/up.json",
                   "splitbench up --deployment split --listen 127.0.0.1:8080 --network netns --network-bandwidth 1gbit",
                   "splitbench up --deployment gateway+catalog,inventory,pricing+orders --listen 127.0.0.1:8080"},
  };
  for (auto& f : network_flags(network, bandwidth, delay)) table.flags.push_back(std::move(f));
  cli::parse(argc, argv, 2, table);
  if (delay) o.split_args.insert(o.split_args.end(), {"--network-delay", *delay});
  if (bandwidth && network.value_or("loopback") != "netns") throw cli::usage_error("--network-bandwidth limits the links of --network netns");
  check_network(network.value_or("loopback"));
  try {
    o.cpu_limits = parse_cpu_limits(cpu_limits, {o.kind});
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(std::string("--cpu-limit: ") + e.what());
  }
  try {
    o.replicas = parse_replicas(replicas, {o.kind});
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(std::string("--replicas: ") + e.what());
  }
  std::string limits_where;
  if (!o.cpu_limits.empty()) {
    try {
      limits_where = check_cpu_limits();
    } catch (std::runtime_error const& e) {
      throw cli::usage_error(e.what());
    }
  }
  if (o.log_dir.empty()) o.log_dir = make_temp_dir("splitbench-up");

  // Signals are taken synchronously below; the children start with none blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  // With --network netns: a host for the driver, this thread on it (so that it reaches the
  // others), and one for each process; all removed when up ends, or by the next one if it is killed.
  std::unique_ptr<os::network> net;
  std::unique_ptr<os::inside_namespace> on_driver_host;
  if (network == "netns") {
    try {
      net = std::make_unique<os::network>();
      on_driver_host = std::make_unique<os::inside_namespace>(net->add_host("driver").ns);
    } catch (os::netns_error const& e) {
      throw cli::usage_error(e.what());
    }
    o.network = net.get();
  }
  auto started = [&] {
    try {
      return std::make_unique<deployment>(o);
    } catch (std::runtime_error const& e) {
      throw cli::usage_error(e.what());  // a binary missing, a port in use: the caller's to fix
    }
  }();
  auto& d = *started;
  if (!json_path.empty()) write_file_atomically(json_path, process_table(d, o.kind, o.log_dir));
  fmt::print("{} up on http://{} (logs in {})\n", name_of(o.kind), d.address(), o.log_dir);
  auto label = [](child_process const& p) { return p.replica > 0 ? fmt::format("{}#{}", p.name, p.replica) : p.name; };
  std::size_t width = 12;
  for (auto const& p : d.processes()) width = std::max(width, label(p).size());
  for (std::size_t i = 0; i < d.processes().size(); ++i) {
    auto const& p = d.processes()[i];
    auto limit = d.cpu_limit_of(i);
    fmt::print("  {:<{}} pid {:<8} http://{}{}\n", label(p), width, p.pid, p.address,
               limit ? fmt::format("  {} cores ({})", cli::format_number(limit->cores), limit->cgroup) : "");
  }
  if (!limits_where.empty()) fmt::print("CPU limits through {}.\n", limits_where);
  if (net) {
    auto const& driver = net->hosts().front();
    if (bandwidth) {
      auto why = net->limit_bandwidth(*bandwidth);
      fmt::print("{}\n", why ? fmt::format("Links NOT limited to {}: {}", *bandwidth, *why) : fmt::format("Every link held to {} each way (tbf).", *bandwidth));
    }
    fmt::print("Each process on a host of its own; the driver's host is {} ({}): load it from there, e.g.\n"
               "  ip netns exec {} splitbench load --rate 1000 --duration 10s http://{}/api/products/1\n",
               driver.address, driver.ns, driver.ns, d.address());
  }
  fmt::print("Ctrl-C stops it.\n");
  std::fflush(stdout);

  // A process that dies ends the deployment, or with --restart always comes back on its address
  // after a back-off of 100 ms, doubling with each restart of it up to 2 s.
  std::vector<int> restarts(d.processes().size(), 0);
  std::vector<std::optional<std::chrono::steady_clock::time_point>> due_back(d.processes().size());
  while (true) {
    timespec tick{0, restart ? 20'000'000 : 200'000'000};
    int sig = ::sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig > 0) {
      d.stop();
      fmt::print("stopped\n");
      return 0;
    }
    auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < d.processes().size(); ++i) {
      auto& p = d.processes()[i];
      if (p.pid > 0) {
        auto pid = p.pid;
        auto how = exit_status(p);
        if (!how) continue;
        if (!restart) {
          fmt::print(stderr, "splitbench up: {} (pid {}) {}; log {}:\n{}", p.name, pid, *how, p.log_path, tail_of(p.log_path));
          d.stop();
          return 1;
        }
        auto backoff = restart_backoff(restarts[i]);
        fmt::print("{} (pid {}) {}; restarting in {} ms\n", p.name, pid, *how, backoff.count());
        std::fflush(stdout);
        due_back[i] = now + backoff;
        continue;
      }
      if (!due_back[i] || now < *due_back[i]) continue;
      due_back[i].reset();
      ++restarts[i];
      try {
        d.restart(i);
        bool ready = wait_healthy(p.address, std::chrono::milliseconds(5'000));
        fmt::print("{} restarted: pid {} on http://{}{}\n", p.name, p.pid, p.address, ready ? "" : " (not answering /health yet)");
        if (!json_path.empty()) write_file_atomically(json_path, process_table(d, o.kind, o.log_dir));
      } catch (std::runtime_error const& e) {
        fmt::print(stderr, "splitbench up: {} could not be restarted: {}\n", p.name, e.what());
        due_back[i] = now + std::chrono::seconds(2);
      }
      std::fflush(stdout);
    }
  }
}

}  // namespace splitbench::bench

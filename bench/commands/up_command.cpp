#include "bench/commands/commands.hpp"

#include "bench/runner/deployment.hpp"
#include "bench/driver/files.hpp"
#include "cli/options.hpp"

#include <fmt/format.h>

#include <csignal>
#include <memory>
#include <cstdlib>
#include <ctime>

namespace splitbench::bench {

deployment_kind parse_deployment(std::string_view text) {
  if (text == "monolith") return deployment_kind::monolith;
  if (text == "split") return deployment_kind::split;
  throw cli::usage_error("--deployment must be monolith or split, not '" + std::string(text) + "'");
}

int up_command(int argc, char** argv) {
  deployment_options o;
  o.bin_dir = executable_dir();
  bool have_kind = false;
  std::vector<cli::flag> flags = {
      {"deployment", true, [&](std::string_view v) { o.kind = parse_deployment(v); have_kind = true; }, "monolith or split"},
      {"listen", true, [&](std::string_view v) { auto a = cli::parse_host_port(v); o.host = a.host; o.port = a.port; },
       "HOST:PORT of the front door"},
      {"threads", true, [&](std::string_view v) { o.threads = static_cast<int>(cli::parse_integer(v, 1, 256, "--threads")); },
       "threads of each process"},
      {"seed", true, [&](std::string_view v) { o.seed = static_cast<std::uint64_t>(cli::parse_integer(v, 0, INT64_MAX, "--seed")); },
       "seed of the catalog and stock"},
      {"log-dir", true, [&](std::string_view v) { o.log_dir = v; }, "where each process's log goes"},
      {"inject-latency", true, [&](std::string_view v) { o.extra_args.insert(o.extra_args.end(), {"--inject-latency", std::string(v)}); },
       "SERVICE=DURATION: delay that service's operations"},
  };
  auto rest = cli::parse(argc, argv, 2, flags);
  if (!rest.empty()) throw cli::usage_error("unexpected argument '" + rest[0] + "'");
  if (!have_kind) throw cli::usage_error("up needs --deployment monolith|split");
  if (o.log_dir.empty()) o.log_dir = make_temp_dir("splitbench-up");

  // Signals are taken synchronously below; the children start with none blocked.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  auto started = [&] {
    try {
      return std::make_unique<deployment>(o);
    } catch (std::runtime_error const& e) {
      throw cli::usage_error(e.what());  // a binary missing, a port in use: the caller's to fix
    }
  }();
  auto& d = *started;
  fmt::print("{} up on http://{} (logs in {})\n", name_of(o.kind), d.address(), o.log_dir);
  for (auto const& p : d.processes()) fmt::print("  {:<10} pid {:<8} http://{}\n", p.name, p.pid, p.address);
  fmt::print("Ctrl-C stops it.\n");
  std::fflush(stdout);

  while (true) {
    timespec tick{0, 200'000'000};
    int sig = ::sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig > 0) {
      d.stop();
      fmt::print("stopped\n");
      return 0;
    }
    if (auto failed = d.failure()) {
      fmt::print(stderr, "splitbench up: {}\n", *failed);
      d.stop();
      return 1;
    }
  }
}

}  // namespace splitbench::bench

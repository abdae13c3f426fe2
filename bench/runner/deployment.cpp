#include "bench/runner/deployment.hpp"

#include "cli/values.hpp"
#include "os/cgroup.hpp"
#include "os/netns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace splitbench::bench {

std::string const& name_of(topology const& t) noexcept { return t.name(); }

std::string label_of(std::string name) {
  std::replace(name.begin(), name.end(), '+', '-');
  std::replace(name.begin(), name.end(), ',', '_');
  return name;
}

std::vector<std::string> process_names(topology const& t) { return t.process_names(); }

std::vector<topology> parse_topologies(std::vector<std::string> const& texts) {
  std::vector<topology> out;
  for (auto const& text : texts) {
    topology t;
    try {
      t = topology::parse(text);
    } catch (std::invalid_argument const& e) {
      throw cli::usage_error(e.what());
    }
    if (std::find(out.begin(), out.end(), t) != out.end()) throw cli::usage_error(fmt::format("the {} deployment is named twice", t.name()));
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

/// A port of `host` held for a process that must be named to its callers before it starts: bound
/// with SO_REUSEPORT and kept open (never listening, so it takes no connection) until that process
/// has bound it too, so that no other socket can take it in between. Returns the socket and its port.
std::pair<int, std::uint16_t> hold_port(std::string const& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("cannot open a socket to hold a port");
  int one = 1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  ::inet_pton(AF_INET, host.c_str(), &a.sin_addr);
  socklen_t size = sizeof a;
  bool ok = ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) == 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &size) == 0;
  if (!ok) {
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot hold a port on {}", host));
  }
  return {fd, ntohs(a.sin_port)};
}

/// "PROCESS=VALUE" split at '=', PROCESS one the deployments have somewhere; `form` is the text's
/// form for the error ("SERVICE=CORES (e.g. pricing=0.5)").
std::pair<std::string, std::string_view> process_and_value(std::string_view text, std::string_view form) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) throw cli::usage_error(fmt::format("'{}' is not {}", text, form));
  auto process = text.substr(0, eq);
  if (process == "monolith") return {std::string(process), text.substr(eq + 1)};
  // A service's process, or a group's: its services joined by '+', in any order.
  std::vector<std::string> services;
  bool known = true;
  for (std::size_t from = 0; from <= process.size();) {
    auto plus = std::min(process.find('+', from), process.size());
    auto service = std::string(process.substr(from, plus - from));
    known = known && std::find(std::begin(host::all_services), std::end(host::all_services), service) != std::end(host::all_services);
    services.push_back(std::move(service));
    from = plus + 1;
  }
  if (!known)
    throw cli::usage_error(fmt::format("{}: no process is named '{}' (gateway, catalog, inventory, pricing, orders, monolith, or a group "
                                       "such as pricing+orders)",
                                       text, process));
  host::sort_services(services);
  std::string canonical;
  for (auto const& s : services) canonical += (canonical.empty() ? "" : "+") + s;
  return {canonical, text.substr(eq + 1)};
}

/// Each of `texts` read by `parse`; a process named twice (`twice` says how: "limited") or one no
/// deployment of `kinds` runs is a usage_error.
template <class Spec, class Parse>
std::vector<Spec> parse_each(std::vector<std::string> const& texts, std::vector<topology> const& kinds, Parse parse, char const* twice) {
  std::vector<Spec> specs;
  std::vector<std::string> texts_so_far;
  for (auto const& t : texts) {
    Spec spec = parse(t);
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].process == spec.process)
        throw cli::usage_error(fmt::format("{} is {} twice ({} and {})", spec.process, twice, texts_so_far[i], t));
    bool runs = false;
    std::string deployments;
    for (auto k : kinds) {
      auto names = process_names(k);
      runs = runs || std::find(names.begin(), names.end(), spec.process) != names.end();
      deployments += fmt::format("{}{}", deployments.empty() ? "" : " and ", name_of(k));
    }
    if (!runs)
      throw cli::usage_error(fmt::format("{}: the {} deployment{} {} no process named {}", t, deployments, kinds.size() > 1 ? "s" : "",
                                         kinds.size() > 1 ? "have" : "has", spec.process));
    specs.push_back(std::move(spec));
    texts_so_far.push_back(t);
  }
  return specs;
}

}  // namespace

cpu_limit_spec parse_cpu_limit(std::string_view text) {
  auto [process, cores] = process_and_value(text, "SERVICE=CORES (e.g. pricing=0.5)");
  try {
    cpu_limit_spec spec{std::string(process), cli::parse_positive(cores, "CORES")};
    if (spec.cores < 0.01) throw cli::usage_error(fmt::format("CORES must be at least 0.01 (the kernel's least quota: 1 ms of each 100 ms), not '{}'", cores));
    return spec;
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(fmt::format("{}: {}", text, e.what()));
  }
}

std::vector<cpu_limit_spec> parse_cpu_limits(std::vector<std::string> const& texts, std::vector<topology> const& kinds) {
  return parse_each<cpu_limit_spec>(texts, kinds, parse_cpu_limit, "limited");
}

replica_spec parse_replica(std::string_view text) {
  auto [process, count] = process_and_value(text, "SERVICE=N (e.g. catalog=3)");
  try {
    return {std::string(process), static_cast<int>(cli::parse_integer(count, 1, 16, "N"))};
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(fmt::format("{}: {}", text, e.what()));
  }
}

std::vector<replica_spec> parse_replicas(std::vector<std::string> const& texts, std::vector<topology> const& kinds) {
  return parse_each<replica_spec>(texts, kinds, parse_replica, "replicated");
}

std::string check_cpu_limits() {
  auto where = os::check_cpu_limits();
  return fmt::format("{} at {}", os::name_of(where.version), where.root);
}

child_process deployment::start(std::string name, int replica, std::string const& binary, std::vector<std::string> args, std::string const& netns) {
  args.push_back("--threads");
  args.push_back(std::to_string(options_.threads));
  args.push_back("--seed");
  args.push_back(std::to_string(options_.seed));
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  if (!options_.kind.single_binary()) args.insert(args.end(), options_.split_args.begin(), options_.split_args.end());
  commands_.emplace_back(binary, args);
  auto log = replica == 0 ? fmt::format("{}/{}.log", options_.log_dir, name) : fmt::format("{}/{}-{}.log", options_.log_dir, name, replica);
  auto p = spawn_server(std::move(name), options_.bin_dir + "/" + binary, std::move(args), log, options_.start_timeout, false, netns);
  p.replica = replica;
  // Limited once it is ready: its start-up (a few ms of building its data) runs unlimited.
  auto& limit = limits_.emplace_back();
  for (auto const& spec : options_.cpu_limits) {
    if (spec.process != p.name) continue;
    try {
      limit = std::make_unique<os::cpu_limit>(label_of(replica == 0 ? p.name : fmt::format("{}-{}", p.name, replica)), spec.cores, spec.period);
      limit->add(p.pid);
    } catch (...) {
      stop_process(p, std::chrono::milliseconds(500));
      throw;
    }
  }
  return p;
}

int deployment::replicas_of(std::string_view name) const noexcept {
  for (auto const& r : options_.replicas)
    if (r.process == name) return r.count;
  return 1;
}

std::string deployment::start_replicas(std::string const& name, std::string const& binary, std::vector<std::string> const& args,
                                       std::string const& listen, bool shared) {
  std::string addresses;
  auto first = processes_.size();
  for (int k = 0; k < replicas_of(name); ++k) {
    auto argv = args;
    auto where = k > 0 && shared ? processes_[first].address : listen;
    std::string netns;
    if (k > 0 && shared) {
      netns = processes_[first].netns;  // the kernel spreads one port's connections within a host only
    } else if (options_.network) {
      if (k == 0 && early_host_ && early_host_->label == label_of(name)) {
        netns = early_host_->ns;
        where = early_host_->address + listen.substr(listen.rfind(':'));
      } else {
        auto const& host = options_.network->add_host(label_of(k == 0 ? name : fmt::format("{}-{}", name, k)));
        netns = host.ns;
        where = host.address + listen.substr(listen.rfind(':'));
      }
    }
    argv.insert(argv.end(), {"--listen", where});
    processes_.push_back(start(name, k, binary, std::move(argv), netns));
    if (k == 0 || !shared) addresses += (addresses.empty() ? "" : ",") + processes_.back().address;
  }
  return addresses;
}

deployment::deployment(deployment_options options) : options_(std::move(options)) {
  auto front = fmt::format("{}:{}", options_.host, options_.port);
  auto internal = options_.host + ":0";
  try {
    auto const& t = options_.kind;
    if (t.single_binary()) {
      std::vector<std::string> args;
      if (t.serialized_calls()) args = {"--binding", "serialized"};
      start_replicas("monolith", "splitbench-monolith", args, front, true);
    } else {
      // The balancing flag goes to every process, as the resilience flags do; only callers use it.
      options_.split_args.insert(options_.split_args.end(), {"--balance", options_.balance});
      auto const front_group = t.group_of("gateway");
      std::map<std::size_t, std::string> addresses;  // each group started, or named early: its replicas' addresses
      for (auto i : t.start_order()) {
        auto const& group = t.groups()[i];
        std::vector<std::string> args = group.size() == 1 ? std::vector<std::string>{group.front()} : std::vector<std::string>{"--services"};
        if (group.size() > 1) {
          std::string list;
          for (auto const& s : group) list += (list.empty() ? "" : ",") + s;
          args.push_back(list);
        }
        for (auto const& peer : t.peers_of(i)) {
          auto j = t.group_of(peer);
          // Only the front door's group can be called before it starts: it starts last.
          if (!addresses.contains(j)) {
            if (j != front_group) throw std::logic_error(fmt::format("{} is called before it starts", t.process_name(j)));
            front = early_front_door(t.process_name(j), front);
            addresses[j] = front;
          }
          args.insert(args.end(), {"--" + peer, addresses[j]});
        }
        addresses[i] = start_replicas(t.process_name(i), "splitbench-service", args, i == front_group ? front : internal, i == front_group);
      }
    }
    release_held_port();  // the front door has bound it by now
    for (auto& p : processes_) {
      if (!wait_healthy(p.address, options_.start_timeout))
        throw std::runtime_error(fmt::format("{} at {} never answered /health (log {}):\n{}", p.name, p.address,
                                             p.log_path, tail_of(p.log_path)));
    }
  } catch (...) {
    stop();
    throw;
  }
}

deployment::~deployment() { stop(); }

std::string deployment::early_front_door(std::string const& name, std::string const& front) {
  auto colon = front.rfind(':');
  auto port = front.substr(colon + 1);
  if (options_.network) {  // a host of its own, made now: nothing else listens there
    auto const& h = options_.network->add_host(label_of(name));
    early_host_ = host_address{h.label, h.ns, h.address};
    return early_host_->address + ":" + (port == "0" ? "8080" : port);
  }
  if (port != "0") return front;
  auto [fd, held] = hold_port(front.substr(0, colon));
  held_port_ = fd;
  return fmt::format("{}:{}", front.substr(0, colon), held);
}

std::optional<std::size_t> deployment::index_of(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < processes_.size(); ++i)
    if (processes_[i].name == name) return i;
  return std::nullopt;
}

void deployment::restart(std::size_t index) {
  auto& p = processes_.at(index);
  if (p.pid > 0) throw std::logic_error(p.name + " is still running");
  auto [binary, args] = commands_.at(index);
  for (std::size_t k = 0; k + 1 < args.size(); ++k)
    if (args[k] == "--listen") args[k + 1] = p.address;  // the port its callers know
  // The log goes on where the first one ended: the death and the restart read in one place.
  p.pid = spawn_server(p.name, options_.bin_dir + "/" + binary, std::move(args), p.log_path, options_.start_timeout, true, p.netns).pid;
  if (auto const& limit = limits_.at(index)) {
    try {
      limit->add(p.pid);
    } catch (...) {
      stop_process(p, std::chrono::milliseconds(500));  // never unlimited: not running, as before the call
      throw;
    }
  }
}

std::optional<deployment::cpu_limit_info> deployment::cpu_limit_of(std::size_t index) const {
  auto const& limit = limits_.at(index);
  if (!limit) return std::nullopt;
  return cpu_limit_info{limit->cores(), limit->path()};
}

std::optional<std::string> deployment::failure() {
  for (auto& p : processes_) {
    if (p.pid <= 0) continue;
    auto pid = p.pid;
    if (auto how = exit_status(p))
      return fmt::format("{} (pid {}) {}; log {}:\n{}", p.name, pid, *how, p.log_path, tail_of(p.log_path));
  }
  return std::nullopt;
}

void deployment::release_held_port() noexcept {
  if (held_port_ >= 0) ::close(held_port_);
  held_port_ = -1;
}

void deployment::stop() {
  release_held_port();
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) stop_process(*it, std::chrono::milliseconds(2'000));
}

}  // namespace splitbench::bench

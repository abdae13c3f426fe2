#include "bench/runner/scenario.hpp"

#include "bench/driver/load.hpp"
#include "cli/options.hpp"
#include "net/delay_distribution.hpp"
#include "os/netns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <cmath>
#include <functional>
#include <map>
#include <sstream>

namespace splitbench::bench {

std::string_view name_of(route_kind r) noexcept {
  switch (r) {
    case route_kind::product: return "product";
    case route_kind::search: return "search";
    case route_kind::quote: return "quote";
    case route_kind::order: return "order";
  }
  return "?";
}

int hops_of(route_kind r) noexcept { return r == route_kind::order ? 2 : 1; }
int calls_of(route_kind r) noexcept {
  switch (r) {
    case route_kind::quote: return 3;
    case route_kind::order: return 4;
    default: return 1;
  }
}

bool route_uses(route_kind r, std::string_view service) noexcept {
  if (service == "gateway" || service == "catalog") return true;
  if (service == "inventory" || service == "pricing") return r == route_kind::quote || r == route_kind::order;
  if (service == "orders") return r == route_kind::order;
  return false;
}

load_options scenario::load_at(double rate, std::chrono::nanoseconds duration) const {
  load_options o;
  o.rate = rate;
  o.connections = connections;
  o.threads = driver_threads;
  o.duration = duration;
  o.warmup = warmup;
  o.timeout = timeout;
  o.seed = seed;
  return o;
}

std::vector<std::string> scenario::split_args() const {
  std::vector<std::string> args{"--peer-timeout", cli::format_duration(peer_timeout), "--peer-retries", std::to_string(peer_retries),
                                "--retry-budget", cli::format_number(retry_budget), "--breaker-failures", std::to_string(breaker_failures),
                                "--breaker-open", cli::format_duration(breaker_open)};
  if (!network_delay.empty()) args.insert(args.end(), {"--network-delay", network_delay});
  return args;
}

load_options scenario::fault_load() const {
  auto o = load_at(fault_rate, fault_duration);
  o.interval = fault_slice;
  auto in_flight = fault_rate * std::chrono::duration<double>(timeout).count() * 1.2;
  o.connections = std::max(connections, static_cast<int>(std::ceil(in_flight)));
  return o;
}

double scenario::weight_of(route_kind r) const noexcept {
  switch (r) {
    case route_kind::product: return weight_product;
    case route_kind::search: return weight_search;
    case route_kind::quote: return weight_quote;
    case route_kind::order: return weight_order;
  }
  return 0;
}

namespace {

/// Where a value came from, for messages: "bench/scenarios/x.toml:12" or "--set".
struct origin {
  std::string where;
  std::string key;
  [[noreturn]] void fail(std::string const& what) const { throw scenario_error(fmt::format("{}: '{}' {}", where, key, what)); }
};

using setter = std::function<void(scenario&, toml::node const&, origin const&)>;

double number(toml::node const& n, origin const& o, double min, double max) {
  double v = 0;
  if (auto i = n.as_integer()) v = static_cast<double>(i->get());
  else if (auto f = n.as_floating_point()) v = f->get();
  else o.fail("must be a number");
  if (!(v >= min && v <= max)) o.fail(fmt::format("must be from {} to {}", min, max));
  return v;
}

std::int64_t integer(toml::node const& n, origin const& o, std::int64_t min, std::int64_t max) {
  auto i = n.as_integer();
  if (!i) o.fail("must be a whole number");
  if (i->get() < min || i->get() > max) o.fail(fmt::format("must be from {} to {}", min, max));
  return i->get();
}

std::string text(toml::node const& n, origin const& o) {
  auto s = n.as_string();
  if (!s) o.fail("must be a string");
  return s->get();
}

/// A list of strings, `example` one of them as the error shows it (e.g. "pricing=0.5").
std::vector<std::string> strings(toml::node const& n, origin const& o, std::string const& example) {
  auto a = n.as_array();
  if (!a) o.fail("must be a list like [\"" + example + "\"]");
  std::vector<std::string> out;
  for (auto const& e : *a) {
    auto v = e.as_string();
    if (!v) o.fail("must be a list of strings like \"" + example + "\"");
    out.push_back(v->get());
  }
  return out;
}

std::chrono::nanoseconds duration(toml::node const& n, origin const& o, bool allow_zero = false) {
  auto s = n.as_string();
  if (!s) o.fail("must be a duration in quotes, e.g. \"5s\"");
  try {
    auto d = cli::parse_duration(s->get());
    if (!allow_zero && d.count() == 0) o.fail("must be above 0");
    return d;
  } catch (cli::usage_error const&) {
    o.fail(fmt::format("is not a duration: '{}' (use e.g. 500ms, 5s, 2m)", s->get()));
  }
}

bool boolean(toml::node const& n, origin const& o) {
  auto b = n.as_boolean();
  if (!b) o.fail("must be true or false");
  return b->get();
}

/// A rising list of whole numbers from 1 to `max` (a payload sweep's sizes); empty is allowed.
std::vector<int> rising_sizes(toml::node const& n, origin const& o, std::int64_t max, char const* what) {
  auto a = n.as_array();
  if (!a) o.fail(fmt::format("must be a list of {}, rising from 1 to {}, like [1, 10, {}]", what, max, max));
  std::vector<int> out;
  for (auto const& e : *a) {
    auto v = e.as_integer();
    if (!v || v->get() < 1 || v->get() > max) o.fail(fmt::format("must list whole numbers from 1 to {} ({})", max, what));
    if (!out.empty() && v->get() <= out.back()) o.fail(fmt::format("must rise, like [1, 10, {}]: {} is not above the one before", max, v->get()));
    out.push_back(static_cast<int>(v->get()));
  }
  return out;
}

std::map<std::string, setter, std::less<>> const& fields() {
  static std::map<std::string, setter, std::less<>> const f = {
      {"name", [](scenario& s, toml::node const& n, origin const& o) { s.name = text(n, o); }},
      {"description", [](scenario& s, toml::node const& n, origin const& o) { s.description = text(n, o); }},
      {"seed", [](scenario& s, toml::node const& n, origin const& o) { s.seed = static_cast<std::uint64_t>(integer(n, o, 0, INT64_MAX)); }},
      {"repetitions", [](scenario& s, toml::node const& n, origin const& o) { s.repetitions = static_cast<int>(integer(n, o, 1, 100)); }},
      {"deployments", [](scenario& s, toml::node const& n, origin const& o) {
         auto a = n.as_array();
         if (!a || a->empty()) o.fail("must be a list of topologies: \"monolith\", \"serialized\", \"split\" or groups such as \"gateway+catalog,inventory,pricing+orders\"");
         std::vector<std::string> texts;
         for (auto const& e : *a) {
           auto v = e.as_string();
           if (!v) o.fail("must list topologies as strings, such as \"monolith\" or \"gateway+catalog,inventory,pricing+orders\"");
           texts.push_back(v->get());
         }
         try {
           s.deployments = parse_topologies(texts);
         } catch (cli::usage_error const& e) {
           o.fail(std::string("has a bad topology: ") + e.what());
         }
       }},
      {"inject_latency", [](scenario& s, toml::node const& n, origin const& o) { s.inject_latency = strings(n, o, "pricing=300us"); }},
      {"deployment.peer_timeout", [](scenario& s, toml::node const& n, origin const& o) { s.peer_timeout = duration(n, o); }},
      {"deployment.peer_retries", [](scenario& s, toml::node const& n, origin const& o) { s.peer_retries = static_cast<int>(integer(n, o, 0, 10)); }},
      {"deployment.retry_budget", [](scenario& s, toml::node const& n, origin const& o) { s.retry_budget = number(n, o, 0.001, 10); }},
      {"deployment.breaker_failures", [](scenario& s, toml::node const& n, origin const& o) { s.breaker_failures = static_cast<int>(integer(n, o, 0, 1'000)); }},
      {"deployment.breaker_open", [](scenario& s, toml::node const& n, origin const& o) { s.breaker_open = duration(n, o); }},
      {"deployment.threads", [](scenario& s, toml::node const& n, origin const& o) { s.deployment_threads = static_cast<int>(integer(n, o, 1, 64)); }},
      {"deployment.cpu_limits", [](scenario& s, toml::node const& n, origin const& o) { s.cpu_limits = strings(n, o, "pricing=0.5"); }},
      {"deployment.replicas", [](scenario& s, toml::node const& n, origin const& o) { s.replicas = strings(n, o, "catalog=3"); }},
      {"deployment.network", [](scenario& s, toml::node const& n, origin const& o) {
         s.network = text(n, o);
         if (s.network != "loopback" && s.network != "netns") o.fail("must be \"loopback\" or \"netns\", not \"" + s.network + "\"");
       }},
      {"deployment.network_bandwidth", [](scenario& s, toml::node const& n, origin const& o) {
         s.network_bandwidth = text(n, o);
         if (!s.network_bandwidth.empty() && !os::is_rate(s.network_bandwidth))
           o.fail("must be a rate as tc writes it (e.g. 100mbit, 1gbit), not \"" + s.network_bandwidth + "\"");
       }},
      {"deployment.network_delay", [](scenario& s, toml::node const& n, origin const& o) {
         s.network_delay = text(n, o);
         if (s.network_delay.empty()) return;
         try {
           net::parse_distribution(s.network_delay);
         } catch (std::invalid_argument const& e) {
           o.fail(e.what());
         }
       }},
      {"deployment.balance", [](scenario& s, toml::node const& n, origin const& o) {
         s.balance = text(n, o);
         if (s.balance != "rr" && s.balance != "p2c") o.fail("must be \"rr\" or \"p2c\", not \"" + s.balance + "\"");
       }},
      {"driver.threads", [](scenario& s, toml::node const& n, origin const& o) { s.driver_threads = static_cast<int>(integer(n, o, 1, 64)); }},
      {"driver.connections", [](scenario& s, toml::node const& n, origin const& o) { s.connections = static_cast<int>(integer(n, o, 1, 10'000)); }},
      {"driver.timeout", [](scenario& s, toml::node const& n, origin const& o) { s.timeout = duration(n, o); }},
      {"driver.warmup", [](scenario& s, toml::node const& n, origin const& o) { s.warmup = duration(n, o, true); }},
      {"workload.product", [](scenario& s, toml::node const& n, origin const& o) { s.weight_product = number(n, o, 0, 1e6); }},
      {"workload.search", [](scenario& s, toml::node const& n, origin const& o) { s.weight_search = number(n, o, 0, 1e6); }},
      {"workload.quote", [](scenario& s, toml::node const& n, origin const& o) { s.weight_quote = number(n, o, 0, 1e6); }},
      {"workload.order", [](scenario& s, toml::node const& n, origin const& o) { s.weight_order = number(n, o, 0, 1e6); }},
      {"compare.rate", [](scenario& s, toml::node const& n, origin const& o) { s.compare_rate = number(n, o, 1, 1e7); }},
      {"compare.duration", [](scenario& s, toml::node const& n, origin const& o) { s.compare_duration = duration(n, o); }},
      {"sweep.enabled", [](scenario& s, toml::node const& n, origin const& o) { s.sweep = boolean(n, o); }},
      {"sweep.start", [](scenario& s, toml::node const& n, origin const& o) { s.sweep_start = number(n, o, 1, 1e7); }},
      {"sweep.factor", [](scenario& s, toml::node const& n, origin const& o) { s.sweep_factor = number(n, o, 1.05, 10); }},
      {"sweep.max", [](scenario& s, toml::node const& n, origin const& o) { s.sweep_max = number(n, o, 1, 1e7); }},
      {"sweep.duration", [](scenario& s, toml::node const& n, origin const& o) { s.sweep_duration = duration(n, o); }},
      {"sweep.slo_p99", [](scenario& s, toml::node const& n, origin const& o) { s.slo_p99 = duration(n, o); }},
      {"sweep.max_error_rate", [](scenario& s, toml::node const& n, origin const& o) { s.max_error_rate = number(n, o, 0, 1); }},
      {"scaling.enabled", [](scenario& s, toml::node const& n, origin const& o) { s.scaling = boolean(n, o); }},
      {"scaling.replicas", [](scenario& s, toml::node const& n, origin const& o) {
         auto a = n.as_array();
         if (!a || a->empty()) o.fail("must be a list of replica counts like [1, 2, 4]");
         s.scaling_replicas.clear();
         for (auto const& e : *a) {
           auto v = e.as_integer();
           if (!v || v->get() < 1 || v->get() > 16) o.fail("must be a list of whole numbers from 1 to 16, like [1, 2, 4]");
           if (!s.scaling_replicas.empty() && v->get() <= s.scaling_replicas.back()) o.fail("must rise, like [1, 2, 4]");
           s.scaling_replicas.push_back(static_cast<int>(v->get()));
         }
         if (s.scaling_replicas.front() != 1) o.fail("must start at 1: efficiency is measured against one replica");
       }},
      {"scaling.cores_per_replica", [](scenario& s, toml::node const& n, origin const& o) { s.scaling_cores = number(n, o, 0.01, 64); }},
      {"scaling.service", [](scenario& s, toml::node const& n, origin const& o) {
         s.scaling_service = text(n, o);
         auto names = process_names(topology::split());
         if (s.scaling_service != "auto" && std::find(names.begin(), names.end(), s.scaling_service) == names.end())
           o.fail("must be auto, gateway, catalog, inventory, pricing or orders, not \"" + s.scaling_service + "\"");
       }},
      {"scaling.rate", [](scenario& s, toml::node const& n, origin const& o) { s.scaling_rate = number(n, o, 1, 1e7); }},
      {"distance.enabled", [](scenario& s, toml::node const& n, origin const& o) { s.distance = boolean(n, o); }},
      {"distance.round_trips", [](scenario& s, toml::node const& n, origin const& o) {
         auto list = strings(n, o, "200us");
         if (list.empty()) o.fail("must list at least one round trip, like [\"0us\", \"200us\", \"1ms\"]");
         s.distance_round_trips.clear();
         for (auto const& text : list) {
           if (text.starts_with('-')) o.fail(fmt::format("must not be negative: '{}' (0us is loopback's own)", text));
           std::chrono::nanoseconds d{};
           try {
             d = cli::parse_duration(text);
           } catch (cli::usage_error const&) {
             o.fail(fmt::format("is not a list of durations: '{}' (use e.g. \"0us\", \"200us\", \"1ms\")", text));
           }
           if (!s.distance_round_trips.empty() && d <= s.distance_round_trips.back())
             o.fail(fmt::format("must rise, like [\"0us\", \"200us\", \"1ms\"]: '{}' is not above the one before", text));
           s.distance_round_trips.push_back(d);
         }
       }},
      {"distance.repetitions", [](scenario& s, toml::node const& n, origin const& o) { s.distance_repetitions = static_cast<int>(integer(n, o, 1, 100)); }},
      {"distance.sweep", [](scenario& s, toml::node const& n, origin const& o) { s.distance_sweep = boolean(n, o); }},
      {"payload.enabled", [](scenario& s, toml::node const& n, origin const& o) { s.payload = boolean(n, o); }},
      {"payload.limits", [](scenario& s, toml::node const& n, origin const& o) { s.payload_limits = rising_sizes(n, o, 100, "the search's limit"); }},
      {"payload.lines", [](scenario& s, toml::node const& n, origin const& o) { s.payload_lines = rising_sizes(n, o, 50, "the quote's lines"); }},
      {"payload.repetitions", [](scenario& s, toml::node const& n, origin const& o) { s.payload_repetitions = static_cast<int>(integer(n, o, 1, 100)); }},
      {"payload.rate", [](scenario& s, toml::node const& n, origin const& o) { s.payload_rate = number(n, o, 1, 1e7); }},
      {"payload.duration", [](scenario& s, toml::node const& n, origin const& o) { s.payload_duration = duration(n, o); }},
      {"breakdown.enabled", [](scenario& s, toml::node const& n, origin const& o) { s.breakdown = boolean(n, o); }},
      {"breakdown.rate", [](scenario& s, toml::node const& n, origin const& o) { s.breakdown_rate = number(n, o, 0, 1e7); }},
      {"breakdown.duration", [](scenario& s, toml::node const& n, origin const& o) { s.breakdown_duration = duration(n, o); }},
      {"sweep.cpu_budget", [](scenario& s, toml::node const& n, origin const& o) { s.sweep_cpu_budget = number(n, o, 0, 4096); }},
      {"faults.rate", [](scenario& s, toml::node const& n, origin const& o) { s.fault_rate = number(n, o, 1, 1e7); }},
      {"faults.duration", [](scenario& s, toml::node const& n, origin const& o) { s.fault_duration = duration(n, o); }},
      {"faults.interval", [](scenario& s, toml::node const& n, origin const& o) { s.fault_slice = duration(n, o); }},
      {"faults.restart", [](scenario& s, toml::node const& n, origin const& o) {
         auto v = text(n, o);
         if (v != "always" && v != "never") o.fail("must be \"always\" or \"never\"");
         s.fault_restart = v == "always";
       }},
      {"fault", [](scenario& s, toml::node const& n, origin const& o) {
         constexpr char const* form = "must be tables: [[fault]] with service, kind, at, for, and for slow a delay (and fraction), "
                                      "for error a fraction (and status)";
         auto const* list = n.as_array();
         if (!list) o.fail(form);
         s.faults.clear();
         for (auto const& item : *list) {
           auto const* t = item.as_table();
           if (!t) o.fail(form);
           for (auto const& [key, value] : *t)
             if (key != "service" && key != "kind" && key != "at" && key != "for" && key != "delay" && key != "fraction" && key != "status")
               o.fail(fmt::format("has an unknown key '{}' (service, kind, at, for, delay, fraction, status)", key.str()));
           auto need = [&](char const* key) -> toml::node const& {
             if (!t->contains(key)) o.fail(fmt::format("needs '{}'", key));
             return *t->get(key);
           };
           auto service = text(need("service"), o);
           auto kind = text(need("kind"), o);
           // slow and error take their parameters as keys of their own, or written out in kind ("slow=2ms").
           if (kind == "slow") {
             kind = "slow=" + text(need("delay"), o);
             if (t->contains("fraction")) kind += ":" + cli::format_number(number(*t->get("fraction"), o, 1e-6, 1));
           } else if (kind == "error") {
             kind = "error=" + cli::format_number(number(need("fraction"), o, 1e-6, 1));
             if (t->contains("status")) kind += ":" + std::to_string(integer(*t->get("status"), o, 400, 599));
           } else if (t->contains("delay") || t->contains("fraction") || t->contains("status")) {
             o.fail(fmt::format("gives delay, fraction or status to a '{}' fault: they belong to slow and error", kind));
           }
           auto at = duration(need("at"), o, true);
           std::optional<std::chrono::nanoseconds> length;
           if (t->contains("for")) length = duration(*t->get("for"), o);
           try {
             s.faults.push_back(make_fault(service, kind, at, length));
           } catch (std::invalid_argument const& e) {
             o.fail(e.what());
           }
         }
       }},
      {"gate.threshold", [](scenario& s, toml::node const& n, origin const& o) { s.gate_threshold = number(n, o, 0, 10); }},
  };
  return f;
}

/// A TOML basic string holding `v`.
std::string quoted(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

/// A duration as the shortest exact text: "4s", "500ms", "300us", "7ns".
std::string exact(std::chrono::nanoseconds d) {
  auto n = d.count();
  if (n != 0 && n % 60'000'000'000 == 0) return quoted(std::to_string(n / 60'000'000'000) + "m");
  if (n % 1'000'000'000 == 0) return quoted(std::to_string(n / 1'000'000'000) + "s");
  if (n % 1'000'000 == 0) return quoted(std::to_string(n / 1'000'000) + "ms");
  if (n % 1'000 == 0) return quoted(std::to_string(n / 1'000) + "us");
  return quoted(std::to_string(n) + "ns");
}

std::string where_of(toml::node const& n, std::string const& file) {
  if (file.rfind("--set", 0) == 0) return file;  // an override has no line to point at
  auto line = n.source().begin.line;
  return line ? fmt::format("{}:{}", file, line) : file;
}

void apply(scenario& s, toml::table const& table, std::string const& file, std::string const& prefix) {
  for (auto const& [key, node] : table) {
    auto path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (auto sub = node.as_table(); sub && !fields().contains(path)) {
      apply(s, *sub, file, path);
      continue;
    }
    auto it = fields().find(path);
    if (it == fields().end()) throw scenario_error(fmt::format("{}: unknown key '{}'", where_of(node, file), path));
    it->second(s, node, origin{where_of(node, file), path});
  }
}

}  // namespace

void check_scenario(scenario const& s, std::string const& where) {
  if (s.weight_product + s.weight_search + s.weight_quote + s.weight_order <= 0)
    throw scenario_error(where + ": the workload's weights must not all be 0");
  if (s.connections < s.driver_threads) throw scenario_error(where + ": driver.connections must be at least driver.threads");
  if (s.sweep && s.sweep_start > s.sweep_max) throw scenario_error(where + ": sweep.start must not be above sweep.max");
  if (s.sweep_cpu_budget > 0 && s.sweep_cpu_budget < 0.01)
    throw scenario_error(fmt::format("{}: sweep.cpu_budget must be 0 (none) or at least 0.01 cores (the kernel's least quota is 1 ms a "
                                     "period, and its longest period 1 s), not {}",
                                     where, s.sweep_cpu_budget));
  // Every load the run will drive must be one the driver can drive: found now, not after minutes.
  auto check_load = [&](char const* phase, double rate, std::chrono::nanoseconds duration) {
    try {
      validate(s.load_at(rate, duration));
    } catch (std::invalid_argument const& e) {
      throw scenario_error(fmt::format("{}: the {} phase cannot run: {}", where, phase, e.what()));
    }
  };
  check_load("compare", s.compare_rate, s.compare_duration);
  if (s.sweep || s.scaling || (s.distance && s.distance_sweep)) check_load("sweep", s.sweep_start, s.sweep_duration);
  if (s.payload) {
    if (s.payload_limits.empty() && s.payload_lines.empty()) throw scenario_error(where + ": payload.limits and payload.lines are both empty: nothing to sweep");
    check_load("payload", s.payload_rate, s.payload_duration);
  }
  if (s.distance && !s.network_delay.empty())
    throw scenario_error(where + ": distance sets the split's network delay itself, half of each round trip: deployment.network_delay must be empty");
  if (s.scaling && !s.cpu_limits.empty())
    throw scenario_error(where + ": scaling holds every process to scaling.cores_per_replica: deployment.cpu_limits must be empty");
  if (s.scaling && !s.replicas.empty())
    throw scenario_error(where + ": scaling sets the replicas itself: deployment.replicas must be empty");
  if (!s.faults.empty()) {
    try {
      validate(s.fault_load());
    } catch (std::invalid_argument const& e) {
      throw scenario_error(fmt::format("{}: the faults phase cannot run: {}", where, e.what()));
    }
    if (s.fault_slice * 4 > s.fault_duration) throw scenario_error(where + ": faults.interval must be at most a quarter of faults.duration");
    for (auto const& f : s.faults)
      if (f.end() >= s.fault_duration)
        throw scenario_error(fmt::format("{}: fault {} does not end inside faults.duration ({}): nothing after it would show recovery", where,
                                         f.text(), cli::format_duration(s.fault_duration)));
  }
  try {
    parse_cpu_limits(s.cpu_limits, s.deployments);
  } catch (cli::usage_error const& e) {
    throw scenario_error(where + ": deployment.cpu_limits: " + e.what());
  }
  try {
    parse_replicas(s.replicas, s.deployments);
  } catch (cli::usage_error const& e) {
    throw scenario_error(where + ": deployment.replicas: " + e.what());
  }
  for (auto const& i : s.inject_latency) {
    try {
      cli::parse_duration(i.substr(i.find('=') == std::string::npos ? i.size() : i.find('=') + 1));
    } catch (cli::usage_error const&) {
      throw scenario_error(where + ": inject_latency entry '" + i + "' is not SERVICE=DURATION");
    }
  }
}

scenario parse_scenario(std::string const& text, std::string const& where) {
  scenario s;
  try {
    apply(s, toml::parse(text), where, "");
  } catch (toml::parse_error const& e) {
    throw scenario_error(fmt::format("{}: {}", where, e.description()));
  }
  return s;
}

scenario load_scenario(std::string const& path, std::vector<std::string> const& overrides) {
  scenario s;
  if (!path.empty()) {
    s.source = path;
    toml::table table;
    try {
      table = toml::parse_file(path);
    } catch (toml::parse_error const& e) {
      auto line = e.source().begin.line;
      throw scenario_error(fmt::format("{}{}: {}", path, line ? ":" + std::to_string(line) : "", e.description()));
    }
    apply(s, table, path, "");
  }
  for (auto const& o : overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) throw scenario_error("--set " + o + ": use --set KEY=VALUE, e.g. --set compare.rate=800");
    auto key = o.substr(0, eq), value = o.substr(eq + 1);
    // The value as TOML (800, true, "5s"); failing that, as a string, so --set sweep.slo_p99=5ms works.
    toml::table snippet;
    try {
      snippet = toml::parse(key + " = " + value);
    } catch (toml::parse_error const&) {
      try {
        snippet = toml::parse(key + " = " + quoted(value));
      } catch (toml::parse_error const& e) {
        throw scenario_error("--set " + o + ": " + std::string(e.description()));
      }
    }
    apply(s, snippet, "--set " + o, "");
  }
  check_scenario(s, path.empty() ? std::string("scenario") : path);
  return s;
}

std::string to_toml(scenario const& s) {
  auto d = [](std::chrono::nanoseconds x) { return exact(x); };
  std::string deployments, inject, limits;
  for (auto k : s.deployments) deployments += fmt::format("{}\"{}\"", deployments.empty() ? "" : ", ", name_of(k));
  for (auto const& i : s.inject_latency) inject += fmt::format("{}{}", inject.empty() ? "" : ", ", quoted(i));
  for (auto const& l : s.cpu_limits) limits += fmt::format("{}{}", limits.empty() ? "" : ", ", quoted(l));
  std::string replicas;
  for (auto const& r : s.replicas) replicas += fmt::format("{}{}", replicas.empty() ? "" : ", ", quoted(r));
  std::string round_trips;
  for (auto rt : s.distance_round_trips) round_trips += fmt::format("{}{}", round_trips.empty() ? "" : ", ", exact(rt));
  std::string fault_tables;
  for (auto const& f : s.faults)
    fault_tables += fmt::format("\n[[fault]]\nservice = {}\nkind = {}\nat = {}\n{}", quoted(f.service),
                                quoted(f.in_process() ? f.action : std::string(name_of(f.kind))), d(f.at),
                                f.length ? "for = " + d(*f.length) + "\n" : std::string());
  return fmt::format(
      "name = {}\ndescription = {}\ndeployments = [{}]\nseed = {}\nrepetitions = {}\ninject_latency = [{}]\n\n"
      "[deployment]\nthreads = {}\ncpu_limits = [{}]\nreplicas = [{}]\nbalance = {}\nnetwork = {}\nnetwork_bandwidth = {}\nnetwork_delay = {}\npeer_timeout = {}\npeer_retries = {}\nretry_budget = {}\nbreaker_failures = {}\nbreaker_open = {}\n\n[driver]\nthreads = {}\nconnections = {}\ntimeout = {}\nwarmup = {}\n\n"
      "[workload]\nproduct = {}\nsearch = {}\nquote = {}\norder = {}\n\n[compare]\nrate = {}\nduration = {}\n\n"
      "[sweep]\nenabled = {}\nstart = {}\nfactor = {}\nmax = {}\nduration = {}\nslo_p99 = {}\nmax_error_rate = {}\ncpu_budget = {}\n\n"
      "[scaling]\nenabled = {}\nreplicas = [{}]\ncores_per_replica = {}\nservice = {}\nrate = {}\n\n"
      "[distance]\nenabled = {}\nround_trips = [{}]\nrepetitions = {}\nsweep = {}\n\n"
      "[payload]\nenabled = {}\nlimits = [{}]\nlines = [{}]\nrepetitions = {}\nrate = {}\nduration = {}\n\n"
      "[faults]\nrate = {}\nduration = {}\ninterval = {}\nrestart = {}\n\n[gate]\nthreshold = {}\n{}",
      quoted(s.name), quoted(s.description), deployments, s.seed, s.repetitions, inject, s.deployment_threads, limits, replicas, quoted(s.balance), quoted(s.network), quoted(s.network_bandwidth), quoted(s.network_delay), d(s.peer_timeout),
      s.peer_retries, s.retry_budget, s.breaker_failures, d(s.breaker_open), s.driver_threads, s.connections,
      d(s.timeout), d(s.warmup), s.weight_product, s.weight_search, s.weight_quote, s.weight_order, s.compare_rate,
      d(s.compare_duration), s.sweep, s.sweep_start, s.sweep_factor, s.sweep_max, d(s.sweep_duration), d(s.slo_p99),
      s.max_error_rate, s.sweep_cpu_budget, s.scaling, fmt::join(s.scaling_replicas, ", "), s.scaling_cores, quoted(s.scaling_service),
      s.scaling_rate, s.distance, round_trips, s.distance_repetitions, s.distance_sweep,
      s.payload, fmt::join(s.payload_limits, ", "), fmt::join(s.payload_lines, ", "), s.payload_repetitions, s.payload_rate, d(s.payload_duration), s.fault_rate, d(s.fault_duration), d(s.fault_slice), s.fault_restart ? "\"always\"" : "\"never\"", s.gate_threshold,
      fault_tables) +
         fmt::format("\n[breakdown]\nenabled = {}\nrate = {}\nduration = {}\n", s.breakdown, s.breakdown_rate, d(s.breakdown_duration));
}

}  // namespace splitbench::bench

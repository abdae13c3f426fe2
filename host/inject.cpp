#include "host/inject.hpp"

#include "cli/options.hpp"

namespace splitbench::host {

injected_latency parse_injection(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw cli::usage_error("--inject-latency takes SERVICE=DURATION (e.g. pricing=300us), not '" + std::string(text) + "'");
  injected_latency out{std::string(text.substr(0, eq)), cli::parse_duration(text.substr(eq + 1))};
  if (out.service != "catalog" && out.service != "inventory" && out.service != "pricing" && out.service != "orders")
    throw cli::usage_error("--inject-latency: unknown service '" + out.service + "' (catalog, inventory, pricing or orders)");
  return out;
}

std::chrono::nanoseconds delay_for(std::vector<injected_latency> const& injections, std::string_view service) {
  std::chrono::nanoseconds total{};
  for (auto const& i : injections)
    if (i.service == service) total += i.delay;
  return total;
}

}  // namespace splitbench::host

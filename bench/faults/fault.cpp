#include "bench/faults/fault.hpp"

#include "cli/values.hpp"
#include "host/fault_action.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace splitbench::bench {
namespace {

constexpr char const* syntax = "SERVICE:KIND@AT[/FOR], e.g. pricing:kill@10s or catalog:hang@5s/5s";

std::chrono::nanoseconds duration_in(std::string_view text, std::string_view what, std::string_view whole) {
  try {
    return cli::parse_duration(text);
  } catch (cli::usage_error const&) {
    throw std::invalid_argument(fmt::format("fault '{}': {} '{}' is not a duration (500ms, 10s, 2m)", whole, what, text));
  }
}

}  // namespace

std::string_view name_of(fault_kind k) noexcept {
  switch (k) {
    case fault_kind::kill: return "kill";
    case fault_kind::term: return "term";
    case fault_kind::hang: return "hang";
    case fault_kind::slow: return "slow";
    case fault_kind::error: return "error";
  }
  return "?";
}

std::string fault::text() const {
  return fmt::format("{}:{}@{}{}", service, in_process() ? action : std::string(name_of(kind)), cli::format_duration(at), length ? fmt::format("/{}", cli::format_duration(*length)) : std::string());
}

fault make_fault(std::string service, std::string_view kind, std::chrono::nanoseconds at, std::optional<std::chrono::nanoseconds> length) {
  if (std::find(std::begin(fault_targets), std::end(fault_targets), service) == std::end(fault_targets))
    throw std::invalid_argument(fmt::format("unknown service '{}' (gateway, catalog, inventory, pricing or orders)", service));
  fault f{std::move(service), fault_kind::kill, at, length, {}};
  if (kind == "kill") f.kind = fault_kind::kill;
  else if (kind == "term") f.kind = fault_kind::term;
  else if (kind == "hang") f.kind = fault_kind::hang;
  else if (kind.starts_with("slow=") || kind.starts_with("error=")) {
    f.kind = kind.starts_with("slow=") ? fault_kind::slow : fault_kind::error;
    f.action = host::parse_fault_action(kind).text();  // throws, saying what is wrong
  } else {
    throw std::invalid_argument(fmt::format("unknown kind '{}' (kill, term, hang, slow=DELAY[:FRACTION] or error=FRACTION[:STATUS])", kind));
  }
  if (at.count() < 0) throw std::invalid_argument("a fault cannot start before the window");
  if (length && length->count() <= 0) throw std::invalid_argument("a fault's length must be above 0");
  if (f.kind == fault_kind::hang && !length) throw std::invalid_argument("a hang needs a length: SERVICE:hang@AT/FOR, e.g. catalog:hang@5s/5s");
  if (f.in_process() && !length)
    throw std::invalid_argument(fmt::format("{} fault needs a length: SERVICE:{}@AT/FOR, e.g. pricing:{}@5s/5s",
                                            f.kind == fault_kind::slow ? "a slow" : "an error", f.action, f.action));
  if (f.in_process() && f.service == "gateway")
    throw std::invalid_argument("the gateway runs no service of its own to slow down or fail: kill, term or hang it, or choose catalog, inventory, pricing or orders");
  return f;
}

fault parse_fault(std::string_view text) {
  auto colon = text.find(':');
  auto at = text.find('@');
  if (colon == std::string_view::npos || at == std::string_view::npos || at < colon)
    throw std::invalid_argument(fmt::format("fault '{}' is not {}", text, syntax));
  auto service = text.substr(0, colon);
  auto kind = text.substr(colon + 1, at - colon - 1);
  auto when = text.substr(at + 1);
  auto slash = when.find('/');
  auto start = duration_in(when.substr(0, slash), "start", text);
  std::optional<std::chrono::nanoseconds> length;
  if (slash != std::string_view::npos) length = duration_in(when.substr(slash + 1), "length", text);
  try {
    return make_fault(std::string(service), kind, start, length);
  } catch (std::invalid_argument const& e) {
    throw std::invalid_argument(fmt::format("fault '{}': {}", text, e.what()));
  }
}

}  // namespace splitbench::bench

#include "host/fault_action.hpp"

#include "cli/values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace splitbench::host {
namespace {

using net::detail::number_of;
using net::detail::trimmed;

constexpr std::string_view action_forms = "slow=DISTRIBUTION[:FRACTION] or error=FRACTION[:STATUS], e.g. slow=2ms, "
                                          "slow=lognormal(2ms,0.5):0.1, error=0.05:500";

double fraction_of(std::string_view text) {
  auto f = number_of(text, "the fraction of calls");
  if (f <= 0 || f > 1)
    throw std::invalid_argument("the fraction of calls must be above 0 and at most 1, not '" + std::string(trimmed(text)) + "'");
  return f;
}

unsigned status_of(std::string_view text) {
  text = trimmed(text);
  unsigned status = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), status);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || status < 400 || status > 599)
    throw std::invalid_argument("the status must be a whole number from 400 to 599, not '" + std::string(text) + "'");
  return status;
}

}  // namespace

std::string_view name_of(action_kind kind) noexcept { return kind == action_kind::slow ? "slow" : "error"; }

std::string fault_action::text() const {
  std::string out(name_of(kind));
  out += '=';
  if (kind == action_kind::error) return out.append(cli::format_number(fraction)).append(":").append(std::to_string(status));
  out += delay.text();
  if (fraction != 1) out.append(":").append(cli::format_number(fraction));
  return out;
}

fault_action parse_fault_action(std::string_view text) {
  text = trimmed(text);
  auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw std::invalid_argument("'" + std::string(text) + "' is not a fault action: use " + std::string(action_forms));
  auto kind = trimmed(text.substr(0, eq));
  auto value = text.substr(eq + 1);
  fault_action a;
  if (kind == "slow") {
    a.kind = action_kind::slow;
    // The fraction follows the last ':' outside the distribution's parentheses.
    auto colon = value.rfind(':');
    auto close = value.rfind(')');
    if (colon != std::string_view::npos && (close == std::string_view::npos || colon > close)) {
      a.fraction = fraction_of(value.substr(colon + 1));
      value = value.substr(0, colon);
    }
    a.delay = parse_distribution(value);
    return a;
  }
  if (kind == "error") {
    a.kind = action_kind::error;
    auto colon = value.find(':');
    try {
      a.fraction = fraction_of(value.substr(0, colon));
    } catch (std::invalid_argument const& e) {
      // "error=503": a status where the fraction goes.
      auto v = trimmed(value);
      auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
      if (colon != std::string_view::npos || v.empty() || !std::all_of(v.begin(), v.end(), digit)) throw;
      throw std::invalid_argument(std::string(e.what()) + "; error=1:" + std::string(v) + " fails every call with " +
                                  std::string(v));
    }
    if (colon != std::string_view::npos) a.status = status_of(value.substr(colon + 1));
    return a;
  }
  throw std::invalid_argument("unknown fault kind '" + std::string(kind) + "': use " + std::string(action_forms));
}

}  // namespace splitbench::host

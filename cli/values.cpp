#include "cli/values.hpp"

#include <algorithm>

#include <array>
#include <charconv>
#include <cmath>

namespace splitbench::cli {
namespace {

struct unit {
  std::string_view name;
  std::int64_t ns;
};
// Largest first: format_duration picks the first that divides exactly.
constexpr std::array<unit, 6> units = {{{"h", 3'600'000'000'000}, {"m", 60'000'000'000}, {"s", 1'000'000'000},
                                        {"ms", 1'000'000}, {"us", 1'000}, {"ns", 1}}};

}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  auto bad = [&] {
    return usage_error("'" + std::string(text) + "' is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. 500ms, 10s, 2m");
  };
  if (ec != std::errc{} || end == text.data() || !std::isfinite(value) || value < 0) throw bad();
  std::string_view name(end, static_cast<std::size_t>(text.data() + text.size() - end));
  for (auto const& u : units) {
    if (u.name != name) continue;
    double ns = value * static_cast<double>(u.ns);
    if (ns > 1e18) throw bad();
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
  }
  throw bad();
}

std::string format_duration(std::chrono::nanoseconds d) {
  auto ns = d.count();
  if (ns == 0) return "0s";
  for (auto const& u : units)
    if (ns % u.ns == 0) return std::to_string(ns / u.ns) + std::string(u.name);
  return std::to_string(ns) + "ns";
}

std::int64_t parse_integer(std::string_view text, std::int64_t min, std::int64_t max, std::string_view what) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value < min || value > max)
    throw usage_error(std::string(what) + " must be a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", not '" + std::string(text) + "'");
  return value;
}

double parse_positive(std::string_view text, std::string_view what) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || !std::isfinite(value) || value <= 0)
    throw usage_error(std::string(what) + " must be a number above 0, not '" + std::string(text) + "'");
  return value;
}

std::string format_number(double value) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), ec == std::errc{} ? end : buf.data());
}

host_port parse_host_port(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    throw usage_error("invalid address '" + std::string(text) + "' (use HOST:PORT, e.g. 127.0.0.1:8080)");
  host_port out;
  out.host = std::string(text.substr(0, colon));
  if (out.host == "localhost") out.host = "127.0.0.1";
  int dots = 0;
  for (char c : out.host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') throw usage_error("invalid address '" + std::string(text) + "': host must be an IPv4 address");
  }
  if (dots != 3) throw usage_error("invalid address '" + std::string(text) + "': host must be an IPv4 address");
  out.port = static_cast<std::uint16_t>(parse_integer(text.substr(colon + 1), 0, 65535, "port"));
  return out;
}

host_port parse_peer_address(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    throw usage_error("invalid address '" + std::string(text) + "' (use HOST:PORT, e.g. 127.0.0.1:9001 or catalog:8080)");
  auto host = text.substr(0, colon);
  // A DNS name: labels of letters, digits and '-', apart by dots (RFC 1123); digits and dots alone an IPv4 address.
  bool name = host.size() <= 253 && host.front() != '.' && host.back() != '.' && host.find("..") == std::string_view::npos &&
              std::all_of(host.begin(), host.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
              }) &&
              std::any_of(host.begin(), host.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
  if (!name || host == "localhost") return parse_host_port(text);
  return {std::string(host), static_cast<std::uint16_t>(parse_integer(text.substr(colon + 1), 0, 65535, "port"))};
}

}  // namespace splitbench::cli

#include "cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace splitbench::cli {

std::vector<std::string> parse(int argc, char const* const* argv, int first, std::vector<flag> const& flags) {
  std::vector<std::string> positional;
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!arg.starts_with("--") || arg == "--") {
      positional.emplace_back(arg);
      continue;
    }
    auto body = arg.substr(2);
    auto eq = body.find('=');
    auto name = body.substr(0, eq);
    auto it = std::find_if(flags.begin(), flags.end(), [&](flag const& f) { return f.name == name; });
    if (it == flags.end()) throw usage_error("unknown option --" + std::string(name));
    if (!it->takes_value) {
      if (eq != std::string_view::npos) throw usage_error("--" + std::string(name) + " takes no value");
      it->set({});
      continue;
    }
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = body.substr(eq + 1);
    } else {
      if (i + 1 >= argc) throw usage_error("--" + std::string(name) + " needs a value");
      value = argv[++i];
    }
    it->set(value);
  }
  return positional;
}

std::chrono::nanoseconds parse_duration(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  auto bad = [&] { return usage_error("invalid duration '" + std::string(text) + "' (use e.g. 500ms, 10s, 2m)"); };
  if (ec != std::errc{} || end == text.data() || !std::isfinite(value) || value < 0) throw bad();
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double ns_per_unit = 0;
  if (unit == "ns") ns_per_unit = 1;
  else if (unit == "us") ns_per_unit = 1e3;
  else if (unit == "ms") ns_per_unit = 1e6;
  else if (unit == "s") ns_per_unit = 1e9;
  else if (unit == "m") ns_per_unit = 60e9;
  else if (unit == "h") ns_per_unit = 3600e9;
  else throw bad();
  double ns = value * ns_per_unit;
  if (ns > 1e18) throw bad();
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
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

}  // namespace splitbench::cli

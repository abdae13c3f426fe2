#include "net/delay_distribution.hpp"

#include "cli/values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace splitbench::net {

std::string_view detail::trimmed(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

double detail::number_of(std::string_view text, std::string_view what) {
  text = trimmed(text);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || !std::isfinite(value))
    throw std::invalid_argument(std::string(what) + " must be a number, not '" + std::string(text) + "'");
  return value;
}

namespace {

using detail::number_of;
using detail::trimmed;
using std::chrono::nanoseconds;

constexpr std::string_view distribution_forms = "a duration (2ms), uniform(LOW,HIGH), normal(MEAN,STDDEV), "
                                                "lognormal(MEDIAN,SIGMA) or empirical(FILE)";

nanoseconds duration_of(std::string_view text) {
  try {
    return cli::parse_duration(trimmed(text));
  } catch (cli::usage_error const& e) {
    throw std::invalid_argument(e.what());
  }
}

nanoseconds clamped(double ns) {
  auto max = static_cast<double>(delay_distribution::max_delay.count());
  return nanoseconds(static_cast<std::int64_t>(std::llround(std::clamp(ns, 0.0, max))));
}

/// "name(first,second)", appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on
/// "literal" + std::string at -O3.
std::string call(std::string_view name, std::string const& first, std::string const& second) {
  std::string out(name);
  out.append("(").append(first).append(",").append(second).append(")");
  return out;
}

/// The samples of an empirical distribution's file.
delay_distribution::empirical read_samples(std::string const& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument("empirical(" + file + "): cannot read " + file);
  auto samples = std::make_shared<std::vector<nanoseconds>>();
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto text = trimmed(std::string_view(line).substr(0, line.find('#')));
    if (text.empty()) continue;
    try {
      samples->push_back(std::min(duration_of(text), delay_distribution::max_delay));
    } catch (std::invalid_argument const& e) {
      throw std::invalid_argument(fmt::format("empirical({}): line {}: {}", file, number, e.what()));
    }
  }
  if (samples->empty()) throw std::invalid_argument("empirical(" + file + "): " + file + " holds no sample");
  return {file, std::move(samples)};
}

}  // namespace

nanoseconds delay_distribution::sample(std::mt19937_64& random) const {
  struct draw {
    std::mt19937_64& random;
    nanoseconds operator()(fixed const& f) const { return f.delay; }
    nanoseconds operator()(uniform const& u) const {
      return nanoseconds(std::uniform_int_distribution<std::int64_t>(u.low.count(), u.high.count())(random));
    }
    nanoseconds operator()(normal const& n) const {
      if (n.stddev.count() == 0) return n.mean;
      auto d = std::normal_distribution<double>(static_cast<double>(n.mean.count()), static_cast<double>(n.stddev.count()));
      return clamped(d(random));
    }
    nanoseconds operator()(lognormal const& l) const {
      if (l.sigma == 0) return l.median;
      return clamped(std::lognormal_distribution<double>(std::log(static_cast<double>(l.median.count())), l.sigma)(random));
    }
    nanoseconds operator()(empirical const& e) const {
      return (*e.samples)[std::uniform_int_distribution<std::size_t>(0, e.samples->size() - 1)(random)];
    }
  };
  return std::visit(draw{random}, shape);
}

std::string delay_distribution::text() const {
  struct spell {
    std::string operator()(fixed const& f) const { return cli::format_duration(f.delay); }
    std::string operator()(uniform const& u) const { return call("uniform", cli::format_duration(u.low), cli::format_duration(u.high)); }
    std::string operator()(normal const& n) const { return call("normal", cli::format_duration(n.mean), cli::format_duration(n.stddev)); }
    std::string operator()(lognormal const& l) const {
      return call("lognormal", cli::format_duration(l.median), cli::format_number(l.sigma));
    }
    std::string operator()(empirical const& e) const { return "empirical(" + e.file + ")"; }
  };
  return std::visit(spell{}, shape);
}

delay_distribution parse_distribution(std::string_view text) {
  text = trimmed(text);
  auto whole = std::string(text);
  auto open = text.find('(');
  if (open == std::string_view::npos) {
    if (!text.empty() && (std::isalpha(static_cast<unsigned char>(text.front())) != 0))
      throw std::invalid_argument("unknown delay distribution '" + whole + "': use " + std::string(distribution_forms));
    return {delay_distribution::fixed{duration_of(text)}};
  }
  auto name = trimmed(text.substr(0, open));
  if (!text.ends_with(')'))
    throw std::invalid_argument("'" + whole + "' lacks its closing parenthesis: use " + std::string(distribution_forms));
  auto args = text.substr(open + 1, text.size() - open - 2);
  if (name == "empirical") return {read_samples(std::string(trimmed(args)))};
  auto comma = args.find(',');
  if (comma == std::string_view::npos || args.find(',', comma + 1) != std::string_view::npos)
    throw std::invalid_argument("'" + whole + "' takes two arguments: use " + std::string(distribution_forms));
  auto first = args.substr(0, comma), second = args.substr(comma + 1);
  auto in = [&](std::string_view why) { return std::invalid_argument("'" + whole + "': " + std::string(why)); };
  if (name == "uniform") {
    delay_distribution::uniform u{duration_of(first), duration_of(second)};
    if (u.low > u.high) throw in("the low bound is above the high one");
    return {u};
  }
  if (name == "normal") return {delay_distribution::normal{duration_of(first), duration_of(second)}};
  if (name == "lognormal") {
    delay_distribution::lognormal l{duration_of(first), number_of(second, "sigma")};
    if (l.median.count() == 0) throw in("the median must be above 0");
    if (l.sigma < 0 || l.sigma > 10) throw in("sigma must be from 0 to 10");
    return {l};
  }
  throw std::invalid_argument("unknown delay distribution '" + std::string(name) + "': use " + std::string(distribution_forms));
}

}  // namespace splitbench::net

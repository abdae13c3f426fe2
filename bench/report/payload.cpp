#include "bench/report/payload.hpp"

#include "bench/driver/hdr_codec.hpp"
#include "bench/report/format.hpp"
#include "bench/report/report_json.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace splitbench::bench {
namespace json = boost::json;
namespace {

constexpr char const* monolith_name = "monolith";

payload_runs const* runs_of(payload_step const& step, std::string const& deployment) {
  for (auto const& d : step.deployments)
    if (d.deployment == deployment) return &d;
  return nullptr;
}

std::uint64_t errors_of(std::vector<run_measurement> const& runs) {
  std::uint64_t n = 0;
  for (auto const& m : runs) n += m.errors + m.unsent;
  return n;
}

double median_p50(std::vector<run_measurement> const& runs) {
  std::vector<double> p50;
  for (auto const& m : runs) p50.push_back(m.latency.p50);
  return median(std::move(p50));
}

payload_point point_of(payload_step const& step, payload_runs const& mono, payload_runs const& other) {
  payload_point p;
  p.size = step.size;
  p.hop_bytes = step.hop_bytes;
  std::vector<double> added;
  for (std::size_t i = 0; i < std::min(mono.runs.size(), other.runs.size()); ++i) added.push_back(other.runs[i].latency.p50 - mono.runs[i].latency.p50);
  p.added_p50 = median_ci(added);
  p.p50 = median_p50(other.runs);
  p.monolith_p50 = median_p50(mono.runs);
  p.errors = errors_of(mono.runs) + errors_of(other.runs);
  p.clean = !added.empty() && p.errors == 0;
  return p;
}

/// "1,234"
std::string grouped(std::uint64_t n) {
  auto digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// A residual as format_us writes it, without a "-0.0 µs" for what rounds to nothing.
std::string residual_text(double us) { return format_us(std::fabs(us) < 0.05 ? 0.0 : us); }

std::string per_kib_text(double us_per_byte) { return fmt::format("{:.2f} µs/KiB", us_per_byte * 1024); }

std::string fit_text(line_fit const& f, std::size_t points) {
  return fmt::format("{} + {} ({} points; R² {}, residual RMS {})", format_us(f.a), per_kib_text(f.b), points,
                     f.r2 ? fmt::format("{:.3f}", *f.r2) : std::string("–"), format_us(f.rms));
}

json::value nullable(std::optional<double> const& x) { return x ? json::value(round3(*x)) : json::value(nullptr); }

}  // namespace

std::optional<line_fit> fit_line(std::vector<double> const& x, std::vector<double> const& y) {
  auto n = std::min(x.size(), y.size());
  if (n < 2) return std::nullopt;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
  mx /= static_cast<double>(n), my /= static_cast<double>(n);
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) sxx += (x[i] - mx) * (x[i] - mx), sxy += (x[i] - mx) * (y[i] - my), syy += (y[i] - my) * (y[i] - my);
  if (sxx == 0) return std::nullopt;
  line_fit f;
  f.b = sxy / sxx;
  f.a = my - f.b * mx;
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    f.residuals.push_back(y[i] - (f.a + f.b * x[i]));
    ss += f.residuals.back() * f.residuals.back();
  }
  f.rms = std::sqrt(ss / static_cast<double>(n));
  if (syy > 0) f.r2 = 1 - ss / syy;
  return f;
}

std::optional<payload_answer> payload_answer_of(run_result const& run) {
  if (!run.payload || run.payload->steps.empty()) return std::nullopt;
  auto const& steps = run.payload->steps;
  if (!runs_of(steps.front(), monolith_name)) return std::nullopt;
  payload_answer a;
  a.rate = run.payload->rate;
  for (auto const& d : steps.front().deployments) {
    if (d.deployment == monolith_name) continue;
    for (char const* sweep : {"response", "request"}) {
      payload_series s{d.deployment, sweep, {}, {}};
      for (auto const& step : steps) {
        if (step.sweep != sweep) continue;
        auto const *mono = runs_of(step, monolith_name), *other = runs_of(step, d.deployment);
        if (mono && other) s.points.push_back(point_of(step, *mono, *other));
      }
      if (s.points.empty()) continue;
      std::vector<double> x, y;
      for (auto const& p : s.points)
        if (p.clean) x.push_back(static_cast<double>(p.hop_bytes)), y.push_back(p.added_p50.median);
      s.fit = fit_line(x, y);
      if (s.fit) {
        std::size_t k = 0;
        for (auto& p : s.points)
          if (p.clean) p.residual_us = s.fit->residuals[k++];
      }
      a.series.push_back(std::move(s));
    }
  }
  return a;
}

json::object payload_json(payload_answer const& a) {
  json::array series;
  for (auto const& s : a.series) {
    json::array points;
    for (auto const& p : s.points)
      points.push_back(json::object{
          {"size", p.size},
          {"hop_bytes", p.hop_bytes},
          {"paired_repetitions", p.added_p50.n},
          {"added_p50_us", p.clean ? json::value(round2(p.added_p50.median)) : json::value(nullptr)},
          {"added_p50_us_ci95", p.clean ? json::value(json::array{round2(p.added_p50.low), round2(p.added_p50.high)}) : json::value(nullptr)},
          {"p50_us", round2(p.p50)},
          {"monolith_p50_us", round2(p.monolith_p50)},
          {"errors", p.errors},
          {"fitted", p.residual_us.has_value()},
          {"residual_us", p.residual_us ? json::value(round2(*p.residual_us)) : json::value(nullptr)}});
    json::value fit = nullptr;
    if (s.fit)
      fit = json::object{{"intercept_us", round2(s.fit->a)},
                         {"slope_us_per_byte", std::round(s.fit->b * 1e6) / 1e6},
                         {"slope_us_per_kib", round2(s.fit->b * 1024)},
                         {"r2", nullable(s.fit->r2)},
                         {"residual_rms_us", round2(s.fit->rms)},
                         {"points", s.fit->residuals.size()}};
    series.push_back(json::object{{"deployment", s.deployment}, {"sweep", s.sweep}, {"points", std::move(points)}, {"fit", std::move(fit)}});
  }
  return json::object{{"rate", a.rate},
                      {"method", "added p50 = median over rounds of (deployment p50 - monolith p50), paired in ABBA order; hop_bytes = the "
                                 "bodies of every internal request and answer of one request, encoded in-process by the split's codec; fit: "
                                 "least squares of added p50 = intercept + slope x hop_bytes over the steps with no error"},
                      {"series", std::move(series)}};
}

std::string payload_markdown(run_result const& run) {
  auto answered = payload_answer_of(run);
  if (!answered) return {};
  auto const& a = *answered;
  std::size_t rounds = 0;
  for (auto const& step : run.payload->steps)
    for (auto const& d : step.deployments) rounds = std::max(rounds, d.runs.size());
  std::string out = fmt::format(
      "\n## Payload size\n\nAfter the other phases, on the same processes, one request sent again and again at each step: the search "
      "`GET /api/products?q=lamp&limit=N` (one internal hop, catalog's answer growing with N) and the quote `POST /api/quote` with N lines "
      "(three concurrent hops, to catalog, inventory and pricing, each growing with N; a quote only reads, so no step runs out of stock as "
      "orders would). {:.0f} req/s, up to {} rounds a step, each round visiting every step in turn (forward, then backward) and the deployments in ABBA order at each. *Bytes* are the bodies of every internal "
      "request and answer of one request, encoded in-process by the split's codec from the seed's data (HTTP headers not counted). "
      "*Added* is the median of the paired differences of p50 against the monolith, with its 95% confidence interval; a step with an error "
      "or an unsent request in any window is shown with its count and left out of the fit. The fit is least squares, added p50 ≈ a + b × bytes.\n",
      a.rate, rounds);
  out += "\n";
  for (auto const& s : a.series) {
    std::size_t fitted = 0;
    for (auto const& p : s.points) fitted += p.residual_us ? 1 : 0;
    out += fmt::format("- **{}**, {} size: {}\n", s.deployment, s.sweep,
                       s.fit ? "added p50 ≈ " + fit_text(*s.fit, fitted) : std::string("no fit (fewer than two steps without errors)"));
  }
  std::vector<std::string> deployments;
  for (auto const& s : a.series)
    if (std::find(deployments.begin(), deployments.end(), s.deployment) == deployments.end()) deployments.push_back(s.deployment);
  for (char const* sweep : {"response", "request"}) {
    std::vector<payload_step const*> steps;
    for (auto const& step : run.payload->steps)
      if (step.sweep == sweep) steps.push_back(&step);
    if (steps.empty()) continue;
    bool response = std::string_view(sweep) == "response";
    out += fmt::format("\n{}\n\n| {} | bytes across the hops | monolith p50 |", response ? "Response size (the search's limit):" : "Request size (the quote's lines):",
                       response ? "limit" : "lines");
    for (auto const& d : deployments) out += fmt::format(" {0} p50 | {0} added p50 [95% CI] | residual |", d);
    out += "\n|---:|---:|---:|";
    for (std::size_t i = 0; i < deployments.size(); ++i) out += "---:|---:|---:|";
    out += "\n";
    for (auto const* step : steps) {
      std::string hops;
      for (auto const& h : step->hops) hops += fmt::format("{}{} {}+{}", hops.empty() ? "" : "; ", h.name.substr(0, h.name.find(' ')), grouped(h.request_bytes), grouped(h.response_bytes));
      auto const* mono = runs_of(*step, monolith_name);
      out += fmt::format("| {} | {} B ({}) | {} |", step->size, grouped(step->hop_bytes), hops,
                         mono && !mono->runs.empty() ? format_us(median_p50(mono->runs)) : std::string("–"));
      for (auto const& d : deployments) {
        auto series = std::find_if(a.series.begin(), a.series.end(), [&](auto const& x) { return x.deployment == d && x.sweep == sweep; });
        payload_point const* p = nullptr;
        if (series != a.series.end())
          for (auto const& q : series->points)
            if (q.size == step->size) p = &q;
        if (!p || p->added_p50.n == 0) {
          out += " – | not measured | – |";
        } else if (!p->clean) {
          out += fmt::format(" {} | – ({} errors or unsent: not fitted) | – |", format_us(p->p50), grouped(p->errors));
        } else {
          out += fmt::format(" {} | {} | {} |", format_us(p->p50), with_interval(p->added_p50), p->residual_us ? residual_text(*p->residual_us) : std::string("–"));
        }
      }
      out += "\n";
    }
  }
  out += "\nBytes: request + answer bodies per hop, in brackets; every hop together before them.\n";
  return out;
}

void check_payload(run_result const& run) {
  if (!run.payload) return;
  for (std::size_t k = 0; k < run.payload->steps.size(); ++k) {
    auto const& step = run.payload->steps[k];
    auto at = fmt::format("payload.steps[{}]", k);
    if (step.sweep != "response" && step.sweep != "request") throw report_error(fmt::format("'{}.sweep' is not \"response\" or \"request\"", at));
    if (step.size < 1) throw report_error(fmt::format("'{}.size' is not positive", at));
    std::uint64_t bytes = 0;
    for (auto const& h : step.hops) bytes += h.request_bytes + h.response_bytes;
    if (bytes != step.hop_bytes) throw report_error(fmt::format("'{}.hop_bytes' is not the sum of its hops' bytes", at));
    for (auto const& d : step.deployments)
      for (std::size_t i = 0; i < d.runs.size(); ++i) {
        auto where = fmt::format("{}.deployments.{}.runs[{}]", at, d.deployment, i);
        try {
          (void)decode_histogram(d.runs[i].histogram);
          for (auto const& r : d.runs[i].routes) (void)decode_histogram(r.histogram);
        } catch (std::exception const& e) {
          throw report_error(fmt::format("'{}' has a histogram that does not decode: {}", where, e.what()));
        }
      }
  }
}

}  // namespace splitbench::bench

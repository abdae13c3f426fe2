#include "bench/runner/payload.hpp"

#include "core/catalog.hpp"
#include "core/inventory.hpp"
#include "core/pricing.hpp"
#include "core/random.hpp"
#include "net/codec.hpp"
#include "split/endpoints.hpp"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace splitbench::bench {
namespace {

/// The value of a computation that cannot fail for the seed's own data; a failure is a bug here.
template <class T> T must(result<T> r, char const* what) {
  if (!r) throw std::logic_error(fmt::format("the payload plan's {} failed: {}", what, r.error().message));
  return std::move(*r);
}

template <class Endpoint, class Request, class Response>
payload_hop hop_of(char const* service, Endpoint const& e, Request const& request, Response const& response) {
  return {fmt::format("{} {}", service, e.path), codec::encode(request).size(), codec::encode(response).size()};
}

payload_step step_of(std::string sweep, int size, std::string request, std::vector<payload_hop> hops) {
  payload_step step{std::move(sweep), size, std::move(request), std::move(hops), 0, {}};
  for (auto const& h : step.hops) step.hop_bytes += h.request_bytes + h.response_bytes;
  return step;
}

/// The quote's lines, nested (step N sends the first N): distinct products whose stock starts at
/// 1,000 units or more, 1 to 6 of each, drawn from the seed.
std::vector<line> quote_lines(std::uint64_t seed, catalog const& cat, inventory const& stock, std::size_t count) {
  splitmix64 rng(seed ^ 0x7061796c6f6164ULL);
  std::vector<line> lines;
  std::set<product_id> taken;
  while (lines.size() < count) {
    auto id = static_cast<product_id>(1 + rng.below(cat.size()));
    product_id ids[] = {id};
    if (taken.contains(id) || must(stock.availability(ids), "availability")[0].available < 1'000) continue;
    taken.insert(id);
    lines.push_back({id, static_cast<std::int32_t>(1 + rng.below(6))});
  }
  return lines;
}

}  // namespace

std::vector<planned_payload_step> plan_payload(scenario const& s) {
  catalog cat(s.seed);
  inventory stock(s.seed, static_cast<product_id>(cat.size()));
  pricing prices(cat);
  std::vector<planned_payload_step> out;
  for (int limit : s.payload_limits) {
    search_query q{"", payload_search_text, limit};
    auto answer = must(cat.search(q), "search");
    auto target = fmt::format("/api/products?q={}&limit={}", payload_search_text, limit);
    out.push_back({step_of("response", limit, "GET " + target, {hop_of("catalog", split::endpoints::search, q, answer)}), "GET", target, ""});
  }
  if (s.payload_lines.empty()) return out;
  auto all_lines = quote_lines(s.seed, cat, stock, static_cast<std::size_t>(s.payload_lines.back()));
  for (int n : s.payload_lines) {
    quote_request q{{all_lines.begin(), all_lines.begin() + n}, "EU", "gold"};
    std::vector<product_id> ids;
    for (auto const& l : q.items) ids.push_back(l.id);
    std::vector<payload_hop> hops{
        hop_of("catalog", split::endpoints::get_products, ids, must(cat.find_all(ids), "lookup")),
        hop_of("inventory", split::endpoints::availability, ids, must(stock.availability(ids), "availability")),
        hop_of("pricing", split::endpoints::quote, q, must(prices.quote(q), "quote")),
    };
    auto request = fmt::format("POST /api/quote ({} line{})", n, n == 1 ? "" : "s");
    out.push_back({step_of("request", n, request, std::move(hops)), "POST", "/api/quote", codec::encode(q)});
  }
  return out;
}

request_mix payload_mix(planned_payload_step const& p, std::string const& host) {
  std::vector<std::string> headers;
  if (!p.body.empty()) headers.push_back("Content-Type: application/json");
  request_mix mix;
  mix.routes.push_back({p.step.sweep == "response" ? "search" : "quote", 1, {make_request(p.method, p.target, host, headers, p.body)}, false});
  return mix;
}

payload_measurement run_payload(scenario const& s, std::vector<payload_subject> const& subjects, payload_window const& window) {
  payload_measurement out;
  out.rate = s.payload_rate;
  auto const planned = plan_payload(s);
  auto const n = subjects.size();
  std::vector<std::vector<request_mix>> mixes;  // per step, per subject
  for (auto const& p : planned) {
    auto& step = out.steps.emplace_back(p.step);
    auto& each = mixes.emplace_back();
    for (auto const& sub : subjects) {
      step.deployments.push_back({sub.name, {}});
      each.push_back(payload_mix(p, sub.host));
    }
  }
  // Each repetition visits every step, forward in even repetitions and backward in odd ones, so
  // that a slow stretch of the machine lands on every size alike rather than on a few neighbours.
  for (int rep = 0; rep < s.payload_repetitions; ++rep) {
    for (std::size_t visit = 0; visit < out.steps.size(); ++visit) {
      auto k = rep % 2 == 0 ? visit : out.steps.size() - 1 - visit;
      auto& step = out.steps[k];
      auto route = step.sweep == "response" ? route_kind::search : route_kind::quote;
      std::vector<std::optional<run_measurement>> round(n);
      for (std::size_t j = 0; j < n; ++j) {
        auto i = (static_cast<std::size_t>(rep) + k) % 2 == 0 ? j : n - 1 - j;  // ABBA: each step's rounds alternate who goes first
        auto label = fmt::format("[payload {} {}, {}/{}] {} at {:.0f} req/s", step.sweep == "response" ? "limit" : "lines", step.size, rep + 1,
                                 s.payload_repetitions, subjects[i].name, s.payload_rate);
        round[i] = window(i, mixes[k][i], label);
        if (!round[i]) return out;  // cancelled or a deployment died: a round half measured is no round
      }
      for (std::size_t i = 0; i < n; ++i) {
        for (auto& r : round[i]->routes) r.depth = hops_of(route), r.calls = calls_of(route);
        step.deployments[i].runs.push_back(std::move(*round[i]));
      }
    }
  }
  return out;
}

}  // namespace splitbench::bench

#include "bench/runner/workload.hpp"

#include "core/catalog.hpp"
#include "core/inventory.hpp"
#include "core/random.hpp"
#include "net/codec.hpp"

#include <fmt/format.h>

namespace splitbench::bench {

std::vector<route_kind> workload_routes(scenario const& s) {
  std::vector<route_kind> out;
  for (auto r : all_routes)
    if (s.weight_of(r) > 0) out.push_back(r);
  return out;
}

request_mix make_workload(scenario const& s, std::string const& host) {
  catalog cat(s.seed);
  inventory stock(s.seed, static_cast<product_id>(cat.size()));
  splitmix64 rng(s.seed ^ 0x776f726b6c6f6164ULL);
  auto random_id = [&] { return static_cast<product_id>(1 + rng.below(cat.size())); };
  auto in_stock_id = [&] {
    while (true) {
      auto id = random_id();
      product_id ids[] = {id};
      if (stock.availability(ids).value()[0].available >= 1'000) return id;
    }
  };
  std::string_view const regions[] = {"EU", "UK", "US", "CH", "JP"};
  std::string_view const tiers[] = {"standard", "silver", "gold", "platinum"};
  auto json_headers = std::vector<std::string>{"Content-Type: application/json"};

  request_mix mix;
  for (auto r : workload_routes(s)) {
    request_mix::route route{std::string(name_of(r)), s.weight_of(r), {}, false};
    auto const pool = r == route_kind::order ? order_pool_size : workload_pool_size;
    for (std::size_t i = 0; i < pool; ++i) {
      switch (r) {
        case route_kind::product:
          route.requests.push_back(make_request("GET", fmt::format("/api/products/{}", random_id()), host));
          break;
        case route_kind::search: {
          auto words = tokenize(cat.find(random_id()).value().name);
          auto q = words[rng.below(words.size())];
          std::string target = "/api/products?q=" + q;
          if (rng.below(3) == 0) target += "&category=" + std::string(categories()[rng.below(categories().size())]);
          target += fmt::format("&limit={}", rng.below(2) ? 10 : 20);
          route.requests.push_back(make_request("GET", target, host));
          break;
        }
        case route_kind::quote:
        case route_kind::order: {
          // The bodies as any client would send them: encoded by the storefront's own codec.
          quote_request q;
          auto lines = 1 + rng.below(3);
          for (std::uint64_t l = 0; l < lines; ++l)
            q.items.push_back({r == route_kind::order ? in_stock_id() : random_id(),
                               static_cast<std::int32_t>(r == route_kind::order ? 1 : 1 + rng.below(6))});
          q.region = regions[rng.below(std::size(regions))];
          q.tier = tiers[rng.below(std::size(tiers))];
          auto body = r == route_kind::quote ? codec::encode(q)
                                             : codec::encode(order_request{fmt::format("customer-{}", rng.below(1'000)), std::move(q)});
          route.requests.push_back(make_request("POST", r == route_kind::quote ? "/api/quote" : "/api/orders", host, json_headers, body));
          break;
        }
      }
    }
    mix.routes.push_back(std::move(route));
  }
  return mix;
}

}  // namespace splitbench::bench

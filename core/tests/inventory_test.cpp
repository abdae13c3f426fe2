#include "core/inventory.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace splitbench;

namespace {
std::int32_t stock_of(inventory const& inv, product_id id) {
  product_id ids[] = {id};
  return inv.availability(ids).value()[0].available;
}
/// Lines of at most 1000 units each (the limit per line) asking for `units` of `id` in all.
std::vector<line> lines_for(product_id id, std::int32_t units) {
  std::vector<line> out;
  for (; units > 0; units -= 1'000) out.push_back({id, std::min<std::int32_t>(units, 1'000)});
  return out;
}
product_id first_in_stock(inventory const& inv) {
  for (product_id id = 1;; ++id)
    if (stock_of(inv, id) > 0) return id;
}
}  // namespace

TEST_CASE("stock is drawn from the seed, and some products have none") {
  inventory a(42, 10'000), b(42, 10'000);
  int empty = 0;
  for (product_id id = 1; id <= 10'000; ++id) {
    auto s = stock_of(a, id);
    REQUIRE(s == stock_of(b, id));
    REQUIRE((s == 0 || (s >= 1'000 && s < 5'000)));
    empty += s == 0;
  }
  CHECK(empty > 200);
  CHECK(empty < 500);
}

TEST_CASE("reserve is all or nothing") {
  inventory inv(42, 10'000);
  auto a = first_in_stock(inv);
  auto b = a + 1;
  while (stock_of(inv, b) == 0) ++b;
  auto sa = stock_of(inv, a), sb = stock_of(inv, b);

  line ok[] = {{a, 2}, {b, 3}};
  REQUIRE(inv.reserve(ok));
  CHECK(stock_of(inv, a) == sa - 2);
  CHECK(stock_of(inv, b) == sb - 3);

  auto too_many = lines_for(b, sb);  // 3 of b are already taken
  too_many.insert(too_many.begin(), line{a, 1});
  auto r = inv.reserve(too_many);
  REQUIRE(r.error().code == errc::conflict);
  CHECK(r.error().message == "insufficient stock for product " + std::to_string(b) + ": requested " +
                                 std::to_string(sb) + ", available " + std::to_string(sb - 3));
  CHECK(stock_of(inv, a) == sa - 2);  // untouched by the failed reservation

  REQUIRE(inv.release(ok));
  CHECK(stock_of(inv, a) == sa);
  CHECK(stock_of(inv, b) == sb);
}

TEST_CASE("lines naming one product add up against its stock") {
  inventory inv(42, 10'000);
  auto a = first_in_stock(inv);
  auto s = stock_of(inv, a);
  auto twice = lines_for(a, s / 2 + 1);
  auto again = lines_for(a, s / 2 + 1);
  twice.insert(twice.end(), again.begin(), again.end());
  CHECK(inv.reserve(twice).error().code == errc::conflict);
  CHECK(inv.reserve(lines_for(a, s)));
  CHECK(stock_of(inv, a) == 0);
}

TEST_CASE("bad lines are rejected before anything is taken") {
  inventory inv(42, 100);
  line unknown[] = {{1, 1}, {101, 1}};
  CHECK(inv.reserve(unknown).error() == error{errc::not_found, "no product 101"});
  line zero[] = {{1, 0}};
  CHECK(inv.reserve(zero).error().code == errc::invalid_input);
  line huge[] = {{1, 1'001}};
  CHECK(inv.reserve(huge).error().code == errc::invalid_input);
  CHECK(inv.reserve(std::span<line const>{}).error().code == errc::invalid_input);
  std::vector<line> many(51, line{1, 1});
  CHECK(inv.reserve(many).error().code == errc::invalid_input);
}

TEST_CASE("concurrent reservations never oversell and never lose units") {
  inventory inv(42, 16);
  std::vector<product_id> ids;
  for (product_id id = 1; id <= 16; ++id) ids.push_back(id);
  std::vector<std::int32_t> before;
  for (auto s : inv.availability(ids).value()) before.push_back(s.available);

  constexpr int threads = 8, rounds = 4'000;
  std::atomic<std::int64_t> taken[16] = {};
  std::atomic<int> failed_releases{0};  // Catch2's assertions are not for other threads
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        product_id a = 1 + static_cast<product_id>((t * 7 + i) % 16);
        product_id b = 1 + static_cast<product_id>((t * 3 + i * 5) % 16);
        line order[] = {{a, 1 + i % 3}, {b, 1 + (i + t) % 4}};
        if (inv.reserve(order)) {
          taken[a - 1] += order[0].qty;
          taken[b - 1] += order[1].qty;
          if (i % 5 == 0) {  // some orders are cancelled again
            if (!inv.release(order)) ++failed_releases;
            taken[a - 1] -= order[0].qty;
            taken[b - 1] -= order[1].qty;
          }
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  CHECK(failed_releases == 0);
  auto after = inv.availability(ids).value();
  for (std::size_t i = 0; i < 16; ++i) {
    CHECK(after[i].available >= 0);
    CHECK(after[i].available + taken[i] == before[i]);
  }
}

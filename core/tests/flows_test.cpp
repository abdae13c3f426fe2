#include "core/local.hpp"
#include "core/order_desk.hpp"
#include "core/storefront.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <functional>

using namespace splitbench;

namespace {

/// Holds every answer back until run() is called, then delivers them in a chosen order: the
/// flows must give the same result whatever order a network returns answers in.
struct deferred {
  std::deque<std::function<void()>> queued;
  void run(bool reversed) {
    while (!queued.empty()) {
      auto next = reversed ? std::move(queued.back()) : std::move(queued.front());
      if (reversed) queued.pop_back();
      else queued.pop_front();
      next();
    }
  }
  template <class T>
  callback<T> hold(callback<T> done) {
    return [this, done = std::move(done)](result<T> r) mutable {
      queued.push_back([done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
    };
  }
};

struct deferred_catalog final : catalog_service {
  catalog_service& inner;
  deferred& d;
  deferred_catalog(catalog_service& i, deferred& q) : inner(i), d(q) {}
  void get_product(product_id id, callback<product> done) override { inner.get_product(id, d.hold(std::move(done))); }
  void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) override {
    inner.get_products(std::move(ids), d.hold(std::move(done)));
  }
  void search(search_query q, callback<search_result> done) override { inner.search(std::move(q), d.hold(std::move(done))); }
};
struct deferred_inventory final : inventory_service {
  inventory_service& inner;
  deferred& d;
  deferred_inventory(inventory_service& i, deferred& q) : inner(i), d(q) {}
  void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) override {
    inner.availability(std::move(ids), d.hold(std::move(done)));
  }
  void reserve(std::vector<line> l, callback<done> cb) override { inner.reserve(std::move(l), d.hold(std::move(cb))); }
  void release(std::vector<line> l, callback<done> cb) override { inner.release(std::move(l), d.hold(std::move(cb))); }
};
struct deferred_pricing final : pricing_service {
  pricing_service& inner;
  deferred& d;
  deferred_pricing(pricing_service& i, deferred& q) : inner(i), d(q) {}
  void quote(quote_request r, callback<price_quote> done) override { inner.quote(std::move(r), d.hold(std::move(done))); }
};

/// A whole storefront bound in-process, optionally with every answer deferred.
struct shop {
  catalog cat{42};
  inventory inv{42, 10'000};
  pricing prices{cat};
  order_book book;
  local_catalog lc{cat};
  local_inventory li{inv};
  local_pricing lp{prices};
  deferred d;
  deferred_catalog dc{lc, d};
  deferred_inventory di{li, d};
  deferred_pricing dp{lp, d};
  order_desk desk{dc, dp, di, book};
  storefront front{dc, di, dp, desk};

  template <class T, class Call>
  result<T> ask(Call call, bool reversed = false) {
    std::optional<result<T>> out;
    call([&](result<T> r) { out = std::move(r); });
    d.run(reversed);
    REQUIRE(out.has_value());
    return std::move(*out);
  }
  std::int32_t stock(product_id id) {
    product_id ids[] = {id};
    return inv.availability(ids).value()[0].available;
  }
};

}  // namespace

TEST_CASE("a quote joins names, prices and stock from three services") {
  shop s;
  for (bool reversed : {false, true}) {
    auto q = s.ask<quote>([&](auto cb) { s.front.quote({{{5, 2}, {9, 1}}, "EU", "gold"}, cb); }, reversed).value();
    REQUIRE(q.price.lines.size() == 2);
    CHECK(q.names[0] == s.cat.find(5).value().name);
    CHECK(q.names[1] == s.cat.find(9).value().name);
    CHECK(q.available[0] == s.stock(5));
    CHECK(q.price == s.prices.quote({{{5, 2}, {9, 1}}, "EU", "gold"}).value());
  }
}

TEST_CASE("a quote's errors follow a fixed precedence whatever order answers come in") {
  shop s;
  for (bool reversed : {false, true}) {
    // Unknown product (catalog) and unknown region (pricing): the catalog's error wins.
    auto e = s.ask<quote>([&](auto cb) { s.front.quote({{{99'999, 1}}, "MARS", "gold"}, cb); }, reversed).error();
    CHECK(e == error{errc::invalid_input, "no product 99999"});
    auto p = s.ask<quote>([&](auto cb) { s.front.quote({{{1, 1}}, "MARS", "gold"}, cb); }, reversed).error();
    CHECK(p == error{errc::invalid_input, "unknown region 'MARS'"});
  }
  CHECK(s.ask<quote>([&](auto cb) { s.front.quote({{}, "EU", "gold"}, cb); }).error().message == "items must not be empty");
  CHECK(s.ask<quote>([&](auto cb) { s.front.quote({{{1, 1}}, "", "gold"}, cb); }).error().message == "region is required");
}

TEST_CASE("a quote flags lines that ask for more than is in stock") {
  shop s;
  product_id id = 1;
  while (s.stock(id) == 0) ++id;
  auto q = s.ask<quote>([&](auto cb) { s.front.quote({{{id, 1}}, "UK", "standard"}, cb); }).value();
  CHECK(q.all_available);
  product_id empty = 1;
  while (s.stock(empty) != 0) ++empty;
  auto q2 = s.ask<quote>([&](auto cb) { s.front.quote({{{id, 1}, {empty, 1}}, "UK", "standard"}, cb); }).value();
  CHECK_FALSE(q2.all_available);
  CHECK(q2.available[1] == 0);
}

TEST_CASE("placing orders: sequential ids, stock taken, read back") {
  shop s;
  product_id id = 1;
  while (s.stock(id) < 10) ++id;
  auto before = s.stock(id);
  auto o1 = s.ask<order>([&](auto cb) { s.front.place_order({"ada", {{{id, 3}}, "US", "silver"}}, cb); }).value();
  auto o2 = s.ask<order>([&](auto cb) { s.front.place_order({"bob", {{{id, 1}}, "US", "silver"}}, cb); }, true).value();
  CHECK(o1.id == 1);
  CHECK(o2.id == 2);
  CHECK(s.stock(id) == before - 4);
  CHECK(o1.price.total_cents == s.prices.quote({{{id, 3}}, "US", "silver"}).value().total_cents);
  CHECK(s.ask<order>([&](auto cb) { s.front.get_order(1, cb); }).value() == o1);
  CHECK(s.ask<order>([&](auto cb) { s.front.get_order(3, cb); }).error() == error{errc::not_found, "no order 3"});
}

TEST_CASE("the order book keeps the most recent orders only, and says so of older ones") {
  order_book book(3);
  for (int i = 0; i < 5; ++i) CHECK(book.add("c", {}).id == static_cast<order_id>(i + 1));
  CHECK(book.find(1).error() == error{errc::not_found, "order 1 is no longer kept (only the last 3 are)"});
  CHECK(book.find(2).error().code == errc::not_found);
  for (order_id id = 3; id <= 5; ++id) CHECK(book.find(id).value().id == id);
  CHECK(book.find(6).error() == error{errc::not_found, "no order 6"});
}

TEST_CASE("a failed order gives back the units it reserved") {
  shop s;
  product_id id = 1;
  while (s.stock(id) < 10) ++id;
  auto before = s.stock(id);
  for (bool reversed : {false, true}) {
    // Inventory reserves, pricing refuses the region: the reservation must be released.
    auto e = s.ask<order>([&](auto cb) { s.front.place_order({"ada", {{{id, 2}}, "MARS", "gold"}}, cb); }, reversed);
    CHECK(e.error() == error{errc::invalid_input, "unknown region 'MARS'"});
    CHECK(s.stock(id) == before);
  }
  product_id empty = 1;
  while (s.stock(empty) != 0) ++empty;
  auto c = s.ask<order>([&](auto cb) { s.front.place_order({"ada", {{{id, 2}, {empty, 1}}, "EU", "gold"}}, cb); });
  CHECK(c.error().code == errc::conflict);
  CHECK(s.stock(id) == before);
  CHECK(s.ask<order>([&](auto cb) { s.front.place_order({"", {{{id, 2}}, "EU", "gold"}}, cb); }).error().message ==
        "customer must be 1 to 100 bytes");
  CHECK(s.ask<order>([&](auto cb) { s.front.get_order(1, cb); }).error().code == errc::not_found);
}

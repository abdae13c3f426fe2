#include "core/catalog.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace splitbench;

TEST_CASE("the catalog is the same for the same seed and differs for another") {
  catalog a(7), b(7), c(8);
  REQUIRE(a.size() == 10'000);
  CHECK(a.find(1).value() == b.find(1).value());
  CHECK(a.find(9'999).value() == b.find(9'999).value());
  int differing = 0;
  for (product_id id = 1; id <= 100; ++id) differing += a.find(id).value() != c.find(id).value();
  CHECK(differing > 90);
}

TEST_CASE("generated products are well formed") {
  catalog cat;
  std::set<std::string> seen_categories;
  for (product_id id = 1; id <= cat.size(); ++id) {
    auto p = cat.find(id).value();
    REQUIRE(p.id == id);
    REQUIRE(p.price_cents >= 199);
    REQUIRE(p.price_cents <= 99'999);
    REQUIRE(p.weight_grams >= 50);
    REQUIRE(std::count(p.name.begin(), p.name.end(), ' ') == 2);
    seen_categories.insert(p.category);
  }
  CHECK(seen_categories.size() == categories().size());
}

TEST_CASE("lookup of unknown ids is not_found") {
  catalog cat;
  CHECK(cat.find(0).error().code == errc::not_found);
  CHECK(cat.find(10'001).error() == error{errc::not_found, "no product 10001"});
  product_id ids[] = {3, 1, 77'777, 0};
  CHECK(cat.find_all(ids).error().message == "no product 77777");
  product_id good[] = {3, 1, 3};
  auto found = cat.find_all(good).value();
  REQUIRE(found.size() == 3);
  CHECK(found[0].id == 3);
  CHECK(found[1].id == 1);
  CHECK(found[2].id == 3);
}

TEST_CASE("tokenize lower-cases and splits on anything not alphanumeric") {
  CHECK(tokenize("Oak  chair!") == std::vector<std::string>{"oak", "chair"});
  CHECK(tokenize("") .empty());
  CHECK(tokenize("\xff\xfe--") .empty());
  CHECK(tokenize("A1b2") == std::vector<std::string>{"a1b2"});
}

TEST_CASE("search ranks exact word matches above prefixes, ties by id") {
  catalog cat;
  auto r = cat.search({"", "oak chair", 100}).value();
  REQUIRE(!r.items.empty());
  auto score = [](product const& p) {
    int s = 0;
    for (auto const& term : {std::string("oak"), std::string("chair")})
      for (auto const& w : tokenize(p.name)) s += w == term ? 3 : (w.rfind(term, 0) == 0 ? 1 : 0);
    return s;
  };
  for (std::size_t i = 1; i < r.items.size(); ++i) {
    auto a = score(r.items[i - 1]), b = score(r.items[i]);
    REQUIRE(a >= b);
    if (a == b) REQUIRE(r.items[i - 1].id < r.items[i].id);
  }
  CHECK(score(r.items.front()) == 6);
  // Brute force agrees on how many products match at all.
  std::int64_t matching = 0;
  for (product_id id = 1; id <= cat.size(); ++id) matching += score(cat.find(id).value()) > 0;
  CHECK(r.total == matching);
}

TEST_CASE("search by prefix, by category and with a limit") {
  catalog cat;
  auto prefix = cat.search({"", "kett", 5}).value();
  REQUIRE(prefix.items.size() == 5);
  for (auto& p : prefix.items) CHECK(p.name.find("Kettle") != std::string::npos);

  auto books = cat.search({"books", "", 3}).value();
  REQUIRE(books.items.size() == 3);
  CHECK(books.items[0].id < books.items[1].id);
  for (auto& p : books.items) CHECK(p.category == "books");
  CHECK(books.total > 500);

  auto both = cat.search({"toys", "lamp", 100}).value();
  for (auto& p : both.items) {
    CHECK(p.category == "toys");
    CHECK(p.name.find("Lamp") != std::string::npos);
  }
  CHECK(cat.search({"", "zzzz", 10}).value().total == 0);
  CHECK(cat.search({"", "", 10}).value().items.front().id == 1);
}

TEST_CASE("search rejects bad queries as invalid input") {
  catalog cat;
  CHECK(cat.search({"", "", 0}).error() == error{errc::invalid_input, "limit must be between 1 and 100"});
  CHECK(cat.search({"", "", 101}).error().code == errc::invalid_input);
  CHECK(cat.search({"shoes", "", 10}).error() == error{errc::invalid_input, "unknown category 'shoes'"});
  CHECK(cat.search({"", std::string(201, 'a'), 10}).error().code == errc::invalid_input);
}

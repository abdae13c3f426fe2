#include "net/url.hpp"

#include <catch2/catch.hpp>

using namespace splitbench;

TEST_CASE("ids in paths: digits only, within range") {
  CHECK(codec::parse_product_id("42").value() == 42);
  CHECK(codec::parse_product_id("4294967295").value() == 4'294'967'295u);
  for (auto bad : {"", "0", "-1", "+1", "1a", "4294967296", " 1", "0x10"})
    CHECK(codec::parse_product_id(bad).error().code == errc::invalid_input);
  CHECK(codec::parse_product_id("abc").error().message == "invalid product id 'abc'");
  CHECK(codec::parse_order_id("9223372036854775807").value() == 9'223'372'036'854'775'807ULL);
  CHECK_FALSE(codec::parse_order_id("9223372036854775808"));
}

TEST_CASE("search from a query string") {
  auto q = codec::search_from_query("category=books&q=oak+chair%21&limit=5").value();
  CHECK(q == search_query{"books", "oak chair!", 5});
  CHECK(codec::search_from_query("").value() == search_query{});
  CHECK(codec::search_from_query("limit=x").error().message == "limit must be between 1 and 100");
  CHECK(codec::search_from_query("limit=99999999999999").error().code == errc::invalid_input);
  CHECK(codec::search_from_query("q=%zz").error().message == "invalid percent-encoding in query");
  CHECK(codec::search_from_query("q=%4").error().message == "invalid percent-encoding in query");
  CHECK(codec::search_from_query("sort=price").error().message == "unknown parameter 'sort'");
  CHECK(codec::search_from_query("q=a&q=b").error().message == "parameter 'q' given twice");
}

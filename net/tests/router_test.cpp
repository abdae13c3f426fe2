#include "net/router.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::net;

namespace {
response call(router const& r, method m, std::string_view path) {
  response out;
  request req;
  req.method = m;
  req.path = path;
  r.dispatch(req, [&](response res) { out = std::move(res); });
  return out;
}
}  // namespace

TEST_CASE("routes match literal segments and capture {params}") {
  router r;
  std::string seen;
  r.add(method::get, "/api/products/{id}", [&](request const&, captures c, responder respond) {
    seen = std::string(c[0]);
    respond({200, "one"});
  });
  r.add(method::get, "/api/products", [](request const&, captures c, responder respond) { respond({200, std::to_string(c.size())}); });
  r.add(method::post, "/api/orders", [](request const&, captures, responder respond) { respond({201, "made"}); });

  CHECK(call(r, method::get, "/api/products/42").body == "one");
  CHECK(seen == "42");
  CHECK(call(r, method::get, "/api/products").body == "0");
  CHECK(call(r, method::post, "/api/orders").status == 201);
}

TEST_CASE("unknown paths are 404, wrong methods 405, both with a JSON error") {
  router r;
  r.add(method::get, "/api/products/{id}", [](request const&, captures, responder respond) { respond({200, ""}); });
  auto missing = call(r, method::get, "/nope");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error":"no route for /nope"})");
  CHECK(call(r, method::post, "/api/products/1").status == 405);
  CHECK(call(r, method::get, "/api/products/").status == 404);  // an empty capture is no match
  CHECK(call(r, method::get, "/api/products/1/2").status == 404);
  CHECK(call(r, method::get, "").status == 404);
  CHECK(call(r, method::get, "/a/b/c/d/e/f/g/h/i/j/k").status == 404);
}

TEST_CASE("match names the route by its index in the order added, and labels list them") {
  router r;
  auto answer = [](request const&, captures, responder respond) { respond({200, ""}); };
  r.add(method::get, "/api/products/{id}", answer);
  r.add(method::post, "/api/orders", answer);
  request req;
  req.method = method::post;
  req.path = "/api/orders";
  CHECK(r.match(req).route == 1);
  req.method = method::get;
  req.path = "/api/products/9";
  auto m = r.match(req);
  CHECK(m.route == 0);
  REQUIRE(m.captures().size() == 1);
  CHECK(m.captures()[0] == "9");
  req.method = method::put;
  CHECK(r.match(req).route == route_match::none);
  CHECK(r.match(req).path_known);
  req.path = "/elsewhere";
  CHECK_FALSE(r.match(req).path_known);
  auto labels = r.labels();
  REQUIRE(labels.size() == 2);
  CHECK(labels[0].pattern == "/api/products/{id}");
  CHECK(labels[1].method == method::post);
}

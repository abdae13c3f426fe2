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

#include "net/route.hpp"
#include "net/url.hpp"

#include <catch2/catch.hpp>

using namespace splitbench;

namespace {

/// A service that answers at once: a product for any id but 7, a search echoing its text,
/// and `done` for a list of lines.
struct fake_service {
  void get(product_id id, callback<product> done) {
    if (id == 7) return done(fail(errc::not_found, "no product 7"));
    done(product{id, "P", "c", 1, 2});
  }
  void search(search_query q, callback<search_result> done) { done(search_result{{}, static_cast<std::int64_t>(q.text.size())}); }
  void put(std::vector<line>, callback<done> done) { done(splitbench::done{}); }
};

constexpr net::endpoint<product_id, product, net::carrier::path> get{
    .method = net::method::get, .path = "/p/{id}", .read = codec::parse_product_id};
constexpr net::endpoint<search_query, search_result, net::carrier::query> search{
    .method = net::method::get, .path = "/p", .read = codec::search_from_query};
constexpr net::endpoint<std::vector<line>, done> put{.method = net::method::post, .path = "/p", .ok = 201};

net::response call(net::router const& r, net::method m, std::string_view path, std::string_view query = {},
                   std::string_view body = {}) {
  net::response out;
  net::request req;
  req.method = m;
  req.path = path;
  req.query = query;
  req.body = body;
  r.dispatch(req, [&](net::response res) { out = std::move(res); });
  return out;
}

/// The three endpoints' routes over one fake service.
net::router const& routes() {
  static fake_service s;
  static net::router const r = [] {
    net::router out;
    net::add_route(out, get, s, &fake_service::get);
    net::add_route(out, search, s, &fake_service::search);
    net::add_route(out, put, s, &fake_service::put);
    return out;
  }();
  return r;
}

}  // namespace

TEST_CASE("a route reads its request where the endpoint carries it, calls the service and answers") {
  auto const& r = routes();

  auto one = call(r, net::method::get, "/p/3");
  CHECK(one.status == 200);
  CHECK(one.body == codec::encode(product{3, "P", "c", 1, 2}));
  CHECK(call(r, net::method::get, "/p", "q=abcd").body == R"({"items":[],"total":4})");
  auto created = call(r, net::method::post, "/p", {}, R"({"items":[{"product_id":1,"qty":2}]})");
  CHECK(created.status == 201);
  CHECK(created.body == "{}");
}

TEST_CASE("a request that does not read, or a service error, is answered with its status and message") {
  auto const& r = routes();

  auto bad_id = call(r, net::method::get, "/p/x");
  CHECK(bad_id.status == 400);
  CHECK(bad_id.body == R"({"error":"invalid product id 'x'"})");
  CHECK(call(r, net::method::get, "/p", "sort=1").body == R"({"error":"unknown parameter 'sort'"})");
  CHECK(call(r, net::method::post, "/p", {}, "{").status == 400);
  auto missing = call(r, net::method::get, "/p/7");
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error":"no product 7"})");
}

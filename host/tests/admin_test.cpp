#include "host/admin.hpp"

#include <catch2/catch.hpp>

using namespace splitbench;

namespace {

net::request request(net::method m, std::string_view path, std::string_view body = {}) {
  net::request r;
  r.method = m;
  r.target = r.path = path;
  r.body = body;
  return r;
}

/// The admin routes over a board, asked one request at a time.
struct admin {
  host::fault_board board{{"catalog", "pricing"}};
  net::router routes;
  admin() { host::add_admin_routes(routes, board); }

  net::response ask(net::method m, std::string_view path, std::string_view body = {}) {
    net::response out{0, {}};
    routes.dispatch(request(m, path, body), [&](net::response r) { out = std::move(r); });
    return out;
  }
};

}  // namespace

TEST_CASE("PUT switches a service's fault on, DELETE off, GET lists them") {
  admin a;
  CHECK(a.ask(net::method::get, "/admin/faults").body == R"({"services":["catalog","pricing"],"active":{}})");

  auto put = a.ask(net::method::put, "/admin/faults/pricing", "error=1:503");
  CHECK(put.status == 204);
  CHECK(put.body.empty());
  REQUIRE(a.board.find("pricing")->current() != nullptr);
  CHECK(a.board.find("pricing")->current()->text() == "error=1:503");
  CHECK(a.ask(net::method::put, "/admin/faults/catalog", "slow=lognormal(2ms,0.5)\n").status == 204);
  CHECK(a.ask(net::method::get, "/admin/faults").body ==
        R"j({"services":["catalog","pricing"],"active":{"catalog":"slow=lognormal(2ms,0.5)","pricing":"error=1:503"}})j");

  // Another PUT replaces the action in force.
  CHECK(a.ask(net::method::put, "/admin/faults/pricing", "slow=2ms:0.1").status == 204);
  CHECK(a.board.find("pricing")->current()->text() == "slow=2ms:0.1");

  CHECK(a.ask(net::method::del, "/admin/faults/pricing").status == 204);
  CHECK(a.board.find("pricing")->current() == nullptr);
  CHECK(a.ask(net::method::del, "/admin/faults/pricing").status == 204);  // already off
  CHECK(a.ask(net::method::del, "/admin/faults").status == 204);
  CHECK(a.board.find("catalog")->current() == nullptr);
}

TEST_CASE("a bad action is a 400 and an unknown service a 404, both with a JSON error") {
  admin a;
  auto bad = a.ask(net::method::put, "/admin/faults/pricing", "error=0.1:600");
  CHECK(bad.status == 400);
  CHECK(bad.body == R"({"error":"the status must be a whole number from 400 to 599, not '600'"})");
  CHECK(a.board.find("pricing")->current() == nullptr);
  CHECK(a.ask(net::method::put, "/admin/faults/pricing", "").status == 400);

  auto unknown = a.ask(net::method::put, "/admin/faults/orders", "slow=2ms");
  CHECK(unknown.status == 404);
  CHECK(unknown.body == R"j({"error":"this process runs no service 'orders' that faults can target (it runs catalog, pricing)"})j");
  CHECK(a.ask(net::method::del, "/admin/faults/orders").status == 404);
  CHECK(a.ask(net::method::post, "/admin/faults/pricing", "slow=2ms").status == 405);

  host::fault_board none;
  net::router routes;
  host::add_admin_routes(routes, none);
  net::response out;
  routes.dispatch(request(net::method::put, "/admin/faults/catalog", "slow=2ms"), [&](net::response r) { out = r; });
  CHECK(out.status == 404);
  CHECK(out.body.find("(it runs none)") != std::string::npos);
}

TEST_CASE("with_admin answers /admin/ itself and hands everything else on") {
  struct echo final : net::app {
    void handle(net::request const& req, net::route_match const&, net::responder respond) override { respond({200, std::string(req.path)}); }
  };
  host::fault_board board{{"catalog"}};
  auto app = host::with_admin(std::make_unique<echo>(), board);
  net::response out;
  app->handle(request(net::method::get, "/api/products/1"), [&](net::response r) { out = r; });
  CHECK(out.body == "/api/products/1");
  app->handle(request(net::method::get, "/admin/faults"), [&](net::response r) { out = r; });
  CHECK(out.body == R"({"services":["catalog"],"active":{}})");
  app->handle(request(net::method::get, "/admin/other"), [&](net::response r) { out = r; });
  CHECK(out.status == 404);
}

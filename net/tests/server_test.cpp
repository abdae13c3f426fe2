#include "net/routed_app.hpp"
#include "net/router.hpp"
#include "net/server.hpp"
#include "held_port.hpp"
#include "raw_client.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <thread>

using namespace splitbench;
using namespace std::chrono_literals;
using testing::raw_client;

namespace {

/// A server on its own thread with one route, POST /echo, answering the body it got.
struct running_server {
  explicit running_server(net::server_options o = {}) : server(configure(o), [](boost::asio::io_context&) {
    struct echo final : net::app {
      void handle(net::request const& req, net::route_match const&, net::responder respond) override {
        if (req.path == "/echo") return respond({200, std::string(req.body)});
        respond(net::error_response(404, "no route"));
      }
    };
    return std::make_unique<echo>();
  }) {
    thread = std::thread([this] { server.run(); });
  }
  ~running_server() {
    server.stop();
    thread.join();
  }
  static net::server_options configure(net::server_options o) {
    o.host = "127.0.0.1";
    o.port = 0;
    return o;
  }
  net::server server;
  std::thread thread;
};

std::string post(std::string_view body) {
  return "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

/// The server still answers a normal request on a new connection.
void still_serving(std::uint16_t port) {
  raw_client c(port);
  REQUIRE(c.send(post("ping")));
  auto r = c.read_response();
  REQUIRE(raw_client::status_of(r) == 200);
  REQUIRE(r.ends_with("ping"));
}

}  // namespace

TEST_CASE("keep-alive: many requests on one connection, built-in /health") {
  running_server s;
  raw_client c(s.server.port());
  for (int i = 0; i < 50; ++i) {
    REQUIRE(c.send(post("hello " + std::to_string(i))));
    auto r = c.read_response();
    REQUIRE(raw_client::status_of(r) == 200);
    REQUIRE(r.ends_with("hello " + std::to_string(i)));
  }
  REQUIRE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(c.read_response().ends_with(R"({"status":"ok"})"));
  REQUIRE(c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(c.read_response().find("splitbench_http_requests_total 52") != std::string::npos);  // itself included
  CHECK(s.server.stats().responses_2xx == 52);
}

TEST_CASE("limits answer with the right status, close that connection, and the server keeps serving") {
  net::server_options o;
  o.header_limit = 1024;
  o.body_limit = 4096;
  running_server s(o);
  auto port = s.server.port();

  SECTION("header too large: 431") {
    raw_client c(port);
    c.send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2048, 'a') + "\r\n\r\n");
    auto r = c.read_response();
    CHECK(raw_client::status_of(r) == 431);
    CHECK(r.find(R"({"error":"request headers too large"})") != std::string::npos);
    CHECK(c.closed_by_server());
    CHECK(s.server.stats().bad_requests == 1);
  }
  SECTION("body too large: 413") {
    raw_client c(port);
    c.send(post(std::string(8192, 'b')));
    CHECK(raw_client::status_of(c.read_response()) == 413);
  }
  SECTION("malformed request line: 400") {
    raw_client c(port);
    c.send("NOT A REQUEST\r\n\r\n");
    auto r = c.read_response();
    CHECK(raw_client::status_of(r) == 400);
    CHECK(r.find(R"({"error":"malformed request)") != std::string::npos);
  }
  SECTION("bad Content-Length: 400") {
    raw_client c(port);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n");
    CHECK(raw_client::status_of(c.read_response()) == 400);
  }
  SECTION("bad chunking: 400") {
    raw_client c(port);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
    CHECK(raw_client::status_of(c.read_response()) == 400);
  }
  SECTION("Content-Length with Transfer-Encoding (smuggling): 400") {
    raw_client c(port);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    CHECK(raw_client::status_of(c.read_response()) == 400);
  }
  SECTION("chunked in HTTP/1.0: 400") {
    raw_client c(port);
    c.send("POST /echo HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    CHECK(raw_client::status_of(c.read_response()) == 400);
  }
  SECTION("a valid chunked body is read") {
    raw_client c(port);
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    CHECK(c.read_response().ends_with("hello"));
  }
  still_serving(port);
}

TEST_CASE("a slow client is closed after the request timeout, and others are served meanwhile") {
  net::server_options o;
  o.request_timeout = 300ms;
  running_server s(o);
  auto connected = std::chrono::steady_clock::now();  // the server's clock for this connection starts after this
  raw_client slow(s.server.port());
  slow.send("GET /echo HTTP/1.1\r\n");  // and never more: a slowloris
  auto started = std::chrono::steady_clock::now();
  still_serving(s.server.port());
  CHECK(std::chrono::steady_clock::now() - started < 200ms);
  CHECK(slow.closed_by_server());
  CHECK(std::chrono::steady_clock::now() - connected >= 300ms);  // not before its timeout
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(s.server.stats().timeouts >= 1);
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout") {
  net::server_options o;
  o.idle_timeout = 200ms;
  running_server s(o);
  raw_client idle(s.server.port());
  idle.send(post("x"));
  CHECK(raw_client::status_of(idle.read_response()) == 200);
  auto answered = std::chrono::steady_clock::now();  // the idle clock started before this, when the answer was sent
  CHECK(idle.closed_by_server());
  auto closed_after = std::chrono::steady_clock::now() - answered;
  CHECK(closed_after >= 190ms);  // not before the idle timeout (less the answer's trip to us)
  CHECK(closed_after < 2s);
}

TEST_CASE("connections over the limit are refused without harming those served") {
  net::server_options o;
  o.max_connections = 2;
  running_server s(o);
  raw_client a(s.server.port()), b(s.server.port());
  a.send(post("a"));
  b.send(post("b"));
  CHECK(a.read_response().ends_with("a"));
  CHECK(b.read_response().ends_with("b"));
  raw_client c(s.server.port());
  CHECK(c.closed_by_server());
  a.send(post("again"));
  CHECK(a.read_response().ends_with("again"));
  CHECK(s.server.stats().connections_refused == 1);
}

TEST_CASE("a port in use is an error that names the address") {
  testing::held_port held;
  net::server_options o;
  o.port = held.port();
  auto expected = "cannot listen on " + held.address() + ": Address already in use";
  CHECK_THROWS_WITH(net::server(o, [](boost::asio::io_context&) { return std::unique_ptr<net::app>(); }),
                    Catch::StartsWith(expected));
}

TEST_CASE("/metrics times each request under its route's pattern and method, never its raw path") {
  struct items final : net::routed_app {
    items() {
      routes.add(net::method::get, "/items/{id}", [](net::request const&, net::captures c, net::responder respond) {
        respond({200, std::string(c[0])});
      });
    }
  };
  net::server_options o;
  o.host = "127.0.0.1";
  net::server server(o, [](boost::asio::io_context&) { return std::make_unique<items>(); });
  std::thread thread([&] { server.run(); });
  raw_client c(server.port());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(c.send("GET /items/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(raw_client::status_of(c.read_response()) == 200);
  }
  REQUIRE(c.send("DELETE /items/7 HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(raw_client::status_of(c.read_response()) == 405);
  REQUIRE(c.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(raw_client::status_of(c.read_response()) == 404);
  REQUIRE(c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto text = c.read_response();
  server.stop();
  thread.join();
  auto has = [&](std::string const& line) { return text.find("\n" + line + "\n") != std::string::npos; };
  CHECK(has(R"(splitbench_http_request_duration_seconds_count{method="GET",route="/items/{id}"} 3)"));
  CHECK(has(R"(splitbench_http_request_duration_seconds_bucket{method="GET",route="/items/{id}",le="+Inf"} 3)"));
  CHECK(has(R"(splitbench_http_request_duration_seconds_count{method="DELETE",route="unmatched"} 1)"));
  CHECK(has(R"(splitbench_http_request_duration_seconds_count{method="GET",route="unmatched"} 1)"));
  CHECK(has(R"(splitbench_http_request_duration_seconds_count{method="GET",route="/metrics"} 0)"));  // itself, not yet answered
  CHECK(text.find("/items/0") == std::string::npos);
  CHECK(text.find("splitbench_peer_request_duration_seconds") == std::string::npos);  // it calls no peer
}

// The client's network delay: each direction of a try waits a draw, and a draw that would end past
// the try's deadline ends the try there with a timeout instead of holding it longer.

#include "net/client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

using namespace splitbench;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

/// Answers every request on its connections at once with 200 "ok", on the test's io_context.
class ok_server {
 public:
  explicit ok_server(asio::io_context& context) : acceptor_(context, {asio::ip::make_address("127.0.0.1"), 0}) { accept(); }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct session : std::enable_shared_from_this<session> {
    explicit session(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    asio::streambuf in;
    void read() {
      asio::async_read_until(socket, in, "\r\n\r\n", [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        if (ec) return;
        self->in.consume(n);
        static constexpr std::string_view answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        asio::async_write(self->socket, asio::buffer(answer), [self](boost::system::error_code e, std::size_t) {
          if (!e) self->read();
        });
      });
    }
  };
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      std::make_shared<session>(std::move(s))->read();
      accept();
    });
  }
  tcp::acceptor acceptor_;
};

/// One GET through a client with `delay` each way and `timeout`; the result and how long it took.
std::pair<result<net::reply>, std::chrono::milliseconds> call_with(char const* delay, std::chrono::milliseconds timeout) {
  asio::io_context context;
  ok_server server(context);
  net::client_options o;
  o.timeout = timeout;
  o.network_delay = net::parse_distribution(delay);
  net::http_client client(context, "peer", "127.0.0.1", server.port(), o);
  std::optional<result<net::reply>> got;
  auto start = std::chrono::steady_clock::now();
  client.send(net::method::get, "/", "", [&](result<net::reply> r) {
    got = std::move(r);
    context.stop();
  });
  context.run();
  REQUIRE(got);
  return {std::move(*got), std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)};
}

}  // namespace

TEST_CASE("a network delay holds each direction of a call and still answers within the timeout") {
  auto [r, took] = call_with("20ms", 1'000ms);
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
  CHECK(took >= 40ms);  // a draw each way: a floor no noise lowers
}

TEST_CASE("a network delay past the try's deadline ends the try there with a timeout") {
  auto [r, took] = call_with("2s", 50ms);
  REQUIRE(r.has_error());
  CHECK(r.error().code == errc::timeout);
  CHECK(took < 2'000ms);  // the deadline ended it, not the draw
}

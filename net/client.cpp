#include "net/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <fmt/format.h>

#include <optional>
#include <vector>

namespace splitbench::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string_view method_name(method m) {
  switch (m) {
    case method::get: return "GET";
    case method::post: return "POST";
    case method::put: return "PUT";
    case method::del: return "DELETE";
    case method::head: return "HEAD";
    case method::other: break;
  }
  return "GET";
}

struct connection {
  explicit connection(asio::io_context& context) : stream(context) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  std::string out;
  bool connected = false;
};

}  // namespace

struct http_client::impl : std::enable_shared_from_this<http_client::impl> {
  asio::io_context& context;
  std::string name;
  std::string host;
  tcp::endpoint endpoint;
  client_options options;
  std::vector<std::shared_ptr<connection>> idle;
  std::size_t open = 0;

  impl(asio::io_context& c, std::string n, std::string h, std::uint16_t port, client_options o)
      : context(c), name(std::move(n)), host(std::move(h)), options(o) {
    beast::error_code ec;
    endpoint = tcp::endpoint(asio::ip::make_address(host, ec), port);
  }

  struct call {
    std::shared_ptr<connection> conn;
    std::function<void(result<reply>)> done;
    bool reused = false;
  };

  void send(std::string request_bytes, std::function<void(result<reply>)> done, bool allow_reuse) {
    auto c = std::make_shared<call>();
    c->done = std::move(done);
    if (allow_reuse && !idle.empty()) {
      c->conn = std::move(idle.back());
      idle.pop_back();
      c->reused = true;
    } else {
      c->conn = std::make_shared<connection>(context);
      ++open;
    }
    c->conn->out = std::move(request_bytes);
    c->conn->stream.expires_after(options.timeout);
    if (c->conn->connected) return write(c);
    c->conn->stream.async_connect(endpoint, [self = shared_from_this(), c](beast::error_code ec) {
      if (ec) return self->finish(c, ec);
      c->conn->connected = true;
      beast::error_code ignored;
      c->conn->stream.socket().set_option(tcp::no_delay(true), ignored);
      self->write(c);
    });
  }

  void write(std::shared_ptr<call> const& c) {
    asio::async_write(c->conn->stream, asio::buffer(c->conn->out),
                      [self = shared_from_this(), c](beast::error_code ec, std::size_t) {
                        if (ec) return self->finish(c, ec);
                        self->read(c);
                      });
  }

  void read(std::shared_ptr<call> const& c) {
    auto& conn = *c->conn;
    conn.parser.emplace();
    conn.parser->body_limit(options.body_limit);
    http::async_read(conn.stream, conn.buffer, *conn.parser,
                     [self = shared_from_this(), c](beast::error_code ec, std::size_t) { self->finish(c, ec); });
  }

  void finish(std::shared_ptr<call> const& c, beast::error_code ec) {
    auto& conn = *c->conn;
    if (ec) {
      bool stale = c->reused && (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                                 ec == asio::error::broken_pipe || ec == asio::error::eof);
      drop(conn);
      if (stale) {
        // The peer closed this idle connection before our request reached it: once more, fresh.
        return send(std::move(conn.out), std::move(c->done), false);
      }
      auto kind = ec == beast::error::timeout ? errc::timeout : errc::unavailable;
      auto message = kind == errc::timeout
                         ? fmt::format("{} timed out after {} ms", name, options.timeout.count())
                         : fmt::format("{} unavailable: {}", name, ec.message());
      return c->done(error{kind, std::move(message)});
    }
    auto& res = conn.parser->get();
    reply r{res.result_int(), std::move(res.body())};
    if (res.keep_alive() && idle.size() < options.max_idle) {
      conn.stream.expires_never();
      idle.push_back(c->conn);
    } else {
      drop(conn);
    }
    c->done(std::move(r));
  }

  void drop(connection& conn) {
    beast::error_code ignored;
    conn.stream.socket().close(ignored);
    --open;
  }
};

http_client::http_client(asio::io_context& context, std::string name, std::string host, std::uint16_t port,
                         client_options options)
    : impl_(std::make_shared<impl>(context, std::move(name), std::move(host), port, options)) {}

http_client::~http_client() {
  for (auto& c : impl_->idle) impl_->drop(*c);
  impl_->idle.clear();
}

void http_client::send(method m, std::string target, std::string body, std::function<void(result<reply>)> done) {
  auto bytes = fmt::format("{} {} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                           method_name(m), target, impl_->host, impl_->endpoint.port(), body.size());
  bytes += body;
  impl_->send(std::move(bytes), std::move(done), true);
}

std::size_t http_client::connections() const noexcept { return impl_->open; }

}  // namespace splitbench::net

#pragma once
/// A tiny HTTP server for the driver's tests, on its own thread and an OS-chosen port. It can
/// freeze for `freeze` every `period` (the whole server stops, as in a GC pause), answer 500 to
/// paths containing "/fail", never answer paths containing "/hang", and take 4 ms of its one
/// thread for paths containing "/slow" (a server of capacity about 250 requests a second).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace splitbench::bench::testing {

class test_server {
 public:
  explicit test_server(std::chrono::milliseconds period = {}, std::chrono::milliseconds freeze = {})
      : acceptor_(context_, {boost::asio::ip::make_address("127.0.0.1"), 0}), freeze_timer_(context_), period_(period), freeze_(freeze) {
    accept();
    if (period_.count() > 0) schedule_freeze();
    thread_ = std::thread([this] { context_.run(); });
  }
  ~test_server() {
    context_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct session : std::enable_shared_from_this<session> {
    explicit session(boost::asio::ip::tcp::socket s) : socket(std::move(s)) {}
    boost::asio::ip::tcp::socket socket;
    std::string in, out;
    char buf[4096];
    void read() {
      socket.async_read_some(boost::asio::buffer(buf), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        if (ec) return;
        self->in.append(self->buf, n);
        self->answer();
      });
    }
    void answer() {
      auto end = in.find("\r\n\r\n");
      if (end == std::string::npos) return read();
      auto request = in.substr(0, end);
      in.erase(0, end + 4);
      if (request.find("/hang") != std::string::npos) return read();
      if (request.find("/slow") != std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(4));
      bool fail = request.find("/fail") != std::string::npos;
      out = fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nfail" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      boost::asio::async_write(socket, boost::asio::buffer(out), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (!ec) self->answer();
      });
    }
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
      if (ec) return;
      s.set_option(boost::asio::ip::tcp::no_delay(true));
      std::make_shared<session>(std::move(s))->read();
      accept();
    });
  }

  void schedule_freeze() {
    freeze_timer_.expires_after(period_ - freeze_);
    freeze_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      std::this_thread::sleep_for(freeze_);  // the whole server stops, like a stop-the-world pause
      schedule_freeze();
    });
  }

  boost::asio::io_context context_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer freeze_timer_;
  std::chrono::milliseconds period_, freeze_;
  std::thread thread_;
};

}  // namespace splitbench::bench::testing

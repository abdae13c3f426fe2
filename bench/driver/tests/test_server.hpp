#pragma once
/// A tiny HTTP server for the driver's tests, on one thread and an OS-chosen port. By path:
/// "/fail" gets a 500, "/hang" never an answer, "/reset" a reset connection (RST), "/slow" an
/// answer after the server's one thread has slept `slow` (so the server answers at most
/// 1 / slow requests per second, whatever the connections), "/delayed" a 200 after `delay` on a
/// timer (the server free meanwhile: latency dominated by a known constant), anything else a 200
/// at once.
/// It can also freeze for `freeze` every `period` (the whole server stops, as in a GC pause),
/// or once on demand, and counts the responses it wrote.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace splitbench::bench::testing {

struct server_behaviour {
  std::chrono::milliseconds period{}, freeze{};  ///< freeze for `freeze` in every `period`
  std::chrono::microseconds slow{};              ///< how long "/slow" takes, the whole server waiting
  std::chrono::microseconds delay{};             ///< how long "/delayed" waits for its answer, the server free
};

class test_server {
 public:
  explicit test_server(server_behaviour b = {})
      : acceptor_(context_, {boost::asio::ip::make_address("127.0.0.1"), 0}), freeze_timer_(context_), once_timer_(context_), b_(b) {
    accept();
    if (b_.period.count() > 0) schedule_freeze();
    thread_ = std::thread([this] { context_.run(); });
  }
  ~test_server() {
    context_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  /// Responses written so far; from any thread.
  std::uint64_t answered() const { return answered_.load(); }
  /// The whole server stops for `how_long` after `after`; from any thread.
  void freeze_once(std::chrono::milliseconds after, std::chrono::milliseconds how_long) {
    boost::asio::post(context_, [this, after, how_long] {
      once_timer_.expires_after(after);
      once_timer_.async_wait([how_long](boost::system::error_code ec) {
        if (!ec) std::this_thread::sleep_for(how_long);
      });
    });
  }

 private:
  struct session : std::enable_shared_from_this<session> {
    session(boost::asio::ip::tcp::socket s, test_server& server) : socket(std::move(s)), owner(server), timer(owner.context_) {}
    boost::asio::ip::tcp::socket socket;
    test_server& owner;
    boost::asio::steady_timer timer;
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
      if (request.find("/reset") != std::string::npos) {
        socket.set_option(boost::asio::socket_base::linger(true, 0));  // close with RST
        boost::system::error_code ignored;
        socket.close(ignored);
        return;
      }
      if (request.find("/slow") != std::string::npos) std::this_thread::sleep_for(owner.b_.slow);
      if (request.find("/delayed") != std::string::npos) {
        timer.expires_after(owner.b_.delay);
        return timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
          if (!ec) self->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
      }
      bool fail = request.find("/fail") != std::string::npos;
      write(fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nfail" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
    void write(char const* response) {
      out = response;
      ++owner.answered_;
      boost::asio::async_write(socket, boost::asio::buffer(out), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (!ec) self->answer();
      });
    }
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
      if (ec) return;
      s.set_option(boost::asio::ip::tcp::no_delay(true));
      std::make_shared<session>(std::move(s), *this)->read();
      accept();
    });
  }

  void schedule_freeze() {
    freeze_timer_.expires_after(b_.period - b_.freeze);
    freeze_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      std::this_thread::sleep_for(b_.freeze);  // the whole server stops, like a stop-the-world pause
      schedule_freeze();
    });
  }

  boost::asio::io_context context_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer freeze_timer_, once_timer_;
  server_behaviour b_;
  std::atomic<std::uint64_t> answered_{0};
  std::thread thread_;
};

}  // namespace splitbench::bench::testing

#pragma once
/// One keep-alive HTTP/1.1 connection of the driver: the socket and the parsing of responses,
/// nothing else. It sends the bytes it is given and tells its owner, once per exchange, how the
/// exchange ended: a complete response with its status, or a failure. It knows nothing of
/// schedules, routes or results: the worker decides what to send and records what came back.
///
/// A connection idle for a while watches its socket, as a client's pool does: a server that
/// closes it, dies or restarts is noticed at once, and the connection reopens before it is
/// used, so that no request is sent to a socket already dead.
///
/// Every call to the owner is the last thing the connection does in that handler, so the owner
/// may send on it again, or close it, from inside the call.

#include "bench/driver/failure.hpp"
#include "bench/driver/pacer.hpp"
#include "bench/driver/response_parser.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace splitbench::bench {

class connection;

/// What a connection reports, on its io_context's thread.
class connection_owner {
 public:
  /// Open (for the first time or again) and idle.
  virtual void on_open(connection& c) = 0;
  /// An attempt to connect failed or timed out; the next one follows a back-off.
  virtual void on_connect_failed(connection& c) = 0;
  /// The response to the request sent is complete. `reopening`: the server is closing the
  /// connection, which reconnects and reports on_open again; otherwise it is idle now.
  virtual void on_response(connection& c, unsigned status, bool reopening) = 0;
  /// The request sent failed (read, write, timeout or parse); the connection reconnects.
  virtual void on_failure(connection& c, failure kind) = 0;
  /// The server closed or reset the connection while it was idle (it died, restarted, or
  /// timed the connection out): no request was lost; it reconnects and reports on_open again.
  virtual void on_closed(connection& c) = 0;

 protected:
  ~connection_owner() = default;
};

class connection {
 public:
  connection(boost::asio::io_context& context, boost::asio::ip::tcp::endpoint endpoint, connection_owner& owner, std::size_t id);
  connection(connection const&) = delete;
  connection& operator=(connection const&) = delete;

  /// The owner's name for it.
  std::size_t id() const noexcept { return id_; }

  /// Connects, and keeps trying after failures with a back-off of 10 ms doubling to 100 ms: a
  /// server back from a restart is reached within 100 ms.
  static constexpr std::chrono::milliseconds max_backoff{100};
  void open();

  bool idle() const noexcept { return state_ == state::idle; }

  /// Keeps each response's `Server-Timing` value, for server_timing() in on_response.
  void keep_server_timing(bool keep) noexcept { parser_.keep_server_timing(keep); }
  /// The `Server-Timing` value of the response just reported, if kept; empty if none.
  std::string_view server_timing() const noexcept { return parser_.server_timing(); }

  /// Sends `request` (only when idle()), which must stay alive until the owner hears back.
  /// `now` is the send time, what a timeout counts from; `head_request`: no body will follow.
  void send(std::string_view request, bool head_request, time_point now);

  /// A request sent, or a connection attempt begun, before `limit` has taken too long: it
  /// fails at once as a timeout (or a failed connect) and is reported so.
  void expire(time_point limit);

  /// Idle: watches the socket until it is used, so that the server closing it is seen at once
  /// (on_closed). Once per idle spell; the owner calls it for connections idle a while, so that
  /// busy connections pay nothing for it.
  void watch();

  /// Closes for good: nothing more is reported.
  void close();

 private:
  enum class state : unsigned char { closed, connecting, backoff, idle, busy };

  void do_connect();
  void on_connect(boost::system::error_code ec, std::uint64_t seq);
  void connect_failed();
  void do_read(std::uint64_t seq);

  void on_read(boost::system::error_code ec, std::size_t n, std::uint64_t seq);
  void fail(failure kind);
  void reset_socket();

  connection_owner& owner_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer backoff_timer_;
  boost::asio::ip::tcp::endpoint endpoint_;
  response_parser parser_;
  state state_ = state::closed;
  std::uint64_t seq_ = 0;  // handlers of an older exchange or attempt see a newer seq and stop
  std::uint64_t watched_ = ~std::uint64_t(0);  // the seq of the idle spell being watched
  time_point started_{};   // of the request in flight or the attempt to connect
  std::chrono::milliseconds backoff_{10};
  std::size_t id_;
  std::array<char, 16 * 1024> buffer_;
};

}  // namespace splitbench::bench

#include "net/server.hpp"

#include "net/beast_request.hpp"
#include "net/router.hpp"
#include "net/server_metrics.hpp"
#include "net/server_timing.hpp"
#include "os/process_usage.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <fmt/compile.h>
#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

namespace splitbench::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;


namespace detail {

/// What the timeout sweep sees of a connection.
class session_base : public boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
 public:
  virtual ~session_base() = default;
  virtual void sweep(std::chrono::steady_clock::time_point now) = 0;
};

}  // namespace detail

struct server::impl {
  struct worker {
    asio::io_context context{1};
    std::optional<tcp::acceptor> acceptor;
    std::unique_ptr<net::app> app;
    detail::thread_counters counters;
    detail::route_timings timings;
    asio::steady_timer sweep_timer{context};
    /// The open connections of this thread, for the timeout sweep; each unlinks itself.
    boost::intrusive::list<detail::session_base, boost::intrusive::constant_time_size<false>> sessions;
  };

  server_options options;
  std::vector<std::unique_ptr<worker>> workers;
  std::uint16_t port = 0;
  std::atomic<std::size_t> open{0};  // touched once per connection, never per request
  double start_time = 0;             // of the process, seconds since the epoch

  server_stats totals() const;
  std::string metrics_text() const;
  void accept(worker& w);
  void sweep(worker& w);
};

namespace {

/// Whether `req` carries `X-Splitbench-Timing: 1`. Only fields Beast does not know are compared
/// by name: a request without any costs a walk over its few fields and no hashing of a name
/// (which basic_fields::find does first).
bool asks_for_timing(beast_request const& req) noexcept {
  for (auto const& f : req)
    if (f.name() == http::field::unknown && beast::iequals(f.name_string(), timing_request_header)) [[unlikely]]
      return f.value() == "1";
  return false;
}

/// One connection. Timeouts are not timers armed per operation (each re-arm is a syscall, and
/// on a virtual machine often a trap): the connection keeps a deadline that its worker's sweep
/// checks a few times a second. Buffered bytes are fed to the parser directly, and a response is
/// written at once when the socket takes it, so a request costs as few syscalls as it can.
class session final : public std::enable_shared_from_this<session>, public detail::session_base {
  using clock = std::chrono::steady_clock;

 public:
  session(tcp::socket socket, server::impl& server, server::impl::worker& worker)
      : socket_(std::move(socket)), server_(server), worker_(worker) {}

  ~session() { server_.open.fetch_sub(1, std::memory_order_relaxed); }

  void start() {
    beast::error_code ec;
    socket_.non_blocking(true, ec);
    worker_.sessions.push_back(*this);
    next_request();
  }

  /// Called by the worker's sweep: closes the connection once its deadline has passed.
  void sweep(clock::time_point now) override {
    if (waiting_ && now >= deadline_ && socket_.is_open()) {
      // Counted before closing, so that whoever sees the connection end also sees it counted.
      worker_.counters.timeouts.bump();
      beast::error_code ignored;
      socket_.close(ignored);  // the pending read completes with an error
    }
  }

 private:
  void next_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    started_ = false;
    parse_buffered();
  }

  /// Feeds what is buffered to the parser; answers when a request is whole, else reads more.
  void parse_buffered() {
    while (buffer_.size() > 0 && !parser_->is_done()) {
      started_ = true;
      beast::error_code ec;
      auto used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) break;
      if (ec) return on_parse_error(ec);
    }
    if (parser_->is_done()) return on_request();
    read_more();
  }

  void read_more() {
    // Waiting for a request's first byte is idle time; once it has started, the whole request
    // must arrive within the request timeout, however it trickles in.
    auto limit = started_ ? server_.options.request_timeout : server_.options.idle_timeout;
    if (!started_ || !waiting_since_start_) {
      deadline_ = clock::now() + limit;
      waiting_since_start_ = started_;
    }
    waiting_ = true;
    socket_.async_read_some(buffer_.prepare(read_chunk), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->waiting_ = false;
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->parse_buffered();
    });
  }

  void on_parse_error(beast::error_code ec) {
    worker_.counters.bad_requests.bump();
    if (ec == http::error::header_limit) return refuse(431, "request headers too large");
    if (ec == http::error::body_limit) return refuse(413, "request body too large");
    refuse(400, "malformed request: " + ec.message());
  }

  void on_request() {
    waiting_since_start_ = false;
    auto const& req = parser_->get();
    if (auto problem = framing_problem(req)) return refuse(400, *problem);
    keep_alive_ = req.keep_alive();
    worker_.counters.requests.bump();
    auto r = view_of(req);
    auto& timings = worker_.timings;
    started_at_ = clock::now();
    // Timed only when asked (server_timing.hpp): otherwise this look is all it costs.
    if (asks_for_timing(req)) [[unlikely]]
      start_timing();

    if (r.path == "/health" && r.method == method::get) {
      timing_ = &timings.health;
      return respond({200, R"({"status":"ok"})"});
    }
    if (r.path == "/metrics" && r.method == method::get) {
      timing_ = &timings.metrics;
      return respond({200, server_.metrics_text(), "text/plain; version=0.0.4"});
    }
    auto m = worker_.app->match(r);
    timing_ = m.route < timings.routed.size() ? &timings.routed[m.route] : &timings.unmatched[static_cast<std::size_t>(r.method)];
    // While the app works (in the split, it may wait on peers) the client is not waiting on
    // us to read, so no deadline runs; the peers' own timeouts bound this.
    if (request_timing_) [[unlikely]]
      return handle_timed(r, m);
    worker_.app->handle(r, m, [self = shared_from_this()](response res) { self->respond(std::move(res)); });
  }

  // The timed path, out of line, so that the untimed one compiles as it would without it.
  [[gnu::noinline]] void start_timing() { request_timing_ = std::make_shared<request_timing>(started_at_); }

  [[gnu::noinline]] void handle_timed(request const& r, route_match const& m) {
    timing_scope scope(request_timing_.get());
    worker_.app->handle(r, m, [self = shared_from_this()](response res) { self->respond(std::move(res)); });
  }

  /// The Server-Timing line, then `connection`'s; the request's timing ends here.
  [[gnu::noinline]] std::string_view timing_lines(clock::time_point now, std::string_view connection) {
    timing_line_ = "Server-Timing: " + format_server_timing(request_timing_->finish(now), request_timing_->calls()) + "\r\n";
    timing_line_ += connection;
    request_timing_.reset();
    return timing_line_;
  }

  void refuse(unsigned status, std::string_view message) {
    keep_alive_ = false;
    respond(error_response(status, message));
  }

  void respond(response res) {
    auto now = clock::now();
    if (timing_ != nullptr) {  // refusals of unreadable requests are counted, but not timed
      timing_->record(now - started_at_);
      timing_ = nullptr;
    }
    auto& c = worker_.counters;
    (res.status < 300 ? c.r2xx : res.status < 500 ? c.r4xx : c.r5xx).bump();
    out_.clear();
    // A format compiled at build time: no format string is parsed per response.
    auto connection = keep_alive_ ? std::string_view("") : std::string_view("Connection: close\r\n");
    if (request_timing_) [[unlikely]]
      connection = timing_lines(now, connection);
    if (res.status == 204)  // no content, and so neither its type nor its length (RFC 9110 8.6)
      fmt::format_to(std::back_inserter(out_), FMT_COMPILE("HTTP/1.1 204 No Content\r\n{}\r\n"), connection);
    else
      fmt::format_to(std::back_inserter(out_), FMT_COMPILE("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}\r\n"),
                     res.status, reason(res.status), res.content_type, res.body.size(), connection);
    out_ += res.body;
    // Most responses fit the socket's buffer: write now and go on, without a round through
    // the event loop; otherwise let Asio write the rest.
    beast::error_code ec;
    auto n = socket_.write_some(asio::buffer(out_), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return close();
    if (ec) n = 0;
    if (n == out_.size()) return after_write();
    deadline_ = clock::now() + server_.options.request_timeout;
    waiting_ = true;
    asio::async_write(socket_, asio::buffer(out_.data() + n, out_.size() - n),
                      [self = shared_from_this()](beast::error_code e, std::size_t) {
                        self->waiting_ = false;
                        if (e) return self->close();
                        self->after_write();
                      });
  }

  void after_write() {
    if (!keep_alive_) return close();
    // A pipelined request already buffered is parsed from a fresh handler, so that a client
    // sending many at once cannot make this recurse without bound.
    if (buffer_.size() > 0) return asio::post(socket_.get_executor(), [self = shared_from_this()] { self->next_request(); });
    next_request();
  }

  void close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
  }

  static constexpr std::size_t read_chunk = 16 * 1024;

  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;
  clock::time_point deadline_{};
  clock::time_point started_at_{};       // when the request in hand arrived whole
  latency_histogram* timing_ = nullptr;  // where its time goes, once answered
  std::shared_ptr<request_timing> request_timing_;  // its parts, when it asked for them (shared with its calls)
  std::string timing_line_;                          // the Server-Timing line of the response in hand
  bool waiting_ = false;              // a read or write is pending: the deadline applies
  bool started_ = false;              // bytes of the current request have arrived
  bool waiting_since_start_ = false;  // the request timeout is already running for this request
  bool keep_alive_ = true;
  server::impl& server_;
  server::impl::worker& worker_;
};

}  // namespace

void server::impl::accept(worker& w) {
  w.acceptor->async_accept(w.context, [this, &w](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      if (open.load(std::memory_order_relaxed) >= options.max_connections) {
        w.counters.refused.bump();
        socket.close(ec);
      } else {
        w.counters.accepted.bump();
        open.fetch_add(1, std::memory_order_relaxed);
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<session>(std::move(socket), *this, w)->start();
      }
    }
    accept(w);
  });
}

server_stats server::impl::totals() const {
  server_stats s;
  for (auto const& w : workers) {
    auto const& c = w->counters;
    s.requests += c.requests.get();
    s.responses_2xx += c.r2xx.get();
    s.responses_4xx += c.r4xx.get();
    s.responses_5xx += c.r5xx.get();
    s.bad_requests += c.bad_requests.get();
    s.timeouts += c.timeouts.get();
    s.connections_accepted += c.accepted.get();
    s.connections_refused += c.refused.get();
  }
  s.connections_open = open.load(std::memory_order_relaxed);
  return s;
}

void server::impl::sweep(worker& w) {
  // A few looks per shortest timeout: deadlines are kept to within an eighth of it.
  auto shortest = std::min(options.idle_timeout, options.request_timeout);
  auto period = std::clamp<std::chrono::milliseconds>(shortest / 8, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
  w.sweep_timer.expires_after(period);
  w.sweep_timer.async_wait([this, &w](beast::error_code ec) {
    if (ec) return;
    auto now = std::chrono::steady_clock::now();
    for (auto& s : w.sessions) s.sweep(now);
    sweep(w);
  });
}

route_match app::match(request const&) const { return {}; }

std::string server::impl::metrics_text() const {
  std::vector<detail::thread_metrics> threads;
  for (auto const& w : workers) threads.push_back({&w->timings, w->app.get()});
  return detail::render_metrics(totals(), threads, start_time);
}

server::server(server_options options, app_factory make_app) : impl_(std::make_unique<impl>()) {
  impl_->options = std::move(options);
  auto& o = impl_->options;
  if (o.threads < 1) throw std::runtime_error("threads must be at least 1");
  beast::error_code ec;
  auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot listen on {}:{}: not an IP address", o.host, o.port));
  std::uint16_t port = o.port;
  for (int i = 0; i < o.threads; ++i) {
    auto w = std::make_unique<impl::worker>();
    tcp::endpoint endpoint(address, port);
    tcp::acceptor a(w->context);
    auto check = [&](char const* what) {
      if (ec) throw std::runtime_error(fmt::format("cannot listen on {}:{}: {} ({})", o.host, port, ec.message(), what));
    };
    a.open(endpoint.protocol(), ec);
    check("socket");
    a.set_option(asio::socket_base::reuse_address(true), ec);
    a.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
    a.bind(endpoint, ec);
    check("bind");
    a.listen(asio::socket_base::max_listen_connections, ec);
    check("listen");
    port = a.local_endpoint().port();
    w->acceptor.emplace(std::move(a));
    w->app = make_app(w->context);
    w->timings.labels = w->app->route_labels();
    w->timings.routed = std::vector<latency_histogram>(w->timings.labels.size());
    impl_->workers.push_back(std::move(w));
  }
  impl_->port = port;
  impl_->start_time = os::start_time_seconds();
}

server::~server() = default;

std::uint16_t server::port() const noexcept { return impl_->port; }

void server::run() {
  for (auto& w : impl_->workers) {
    impl_->accept(*w);
    impl_->sweep(*w);
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->workers.size(); ++i)
    threads.emplace_back([w = impl_->workers[i].get()] { w->context.run(); });
  impl_->workers[0]->context.run();
  for (auto& t : threads) t.join();
}

void server::stop() {
  for (auto& w : impl_->workers) w->context.stop();
}

server_stats server::stats() const { return impl_->totals(); }

}  // namespace splitbench::net

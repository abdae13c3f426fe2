#include "net/client.hpp"

#include "net/latency_histogram.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/compile.h>
#include <fmt/format.h>

#include <optional>
#include <random>
#include <vector>

namespace splitbench::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

/// One keep-alive connection and the request in flight on it, if any. As in the server, no
/// timer is armed per request: the client's sweep closes a connection whose deadline passed.
struct connection {
  explicit connection(asio::io_context& context) : socket(context) {}
  tcp::socket socket;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  std::string out;
  std::function<void(result<reply>, bool never_sent)> done;
  clock_type::time_point started{}, deadline{};
  bool connected = false;
  bool busy = false;
  bool timed_out = false;
  bool reused = false;  // this request went out on a connection that had served another
  bool got_bytes = false;
  bool connect_failed = false;  // the request never left: the connection was refused
  std::string* timing = nullptr;  // where the peer's Server-Timing goes, when the request asked for it
  std::size_t replica = 0;      // which replica it is to
};

/// One replica of the peer: its address, its idle connections, and how it has done lately.
struct replica_state {
  tcp::endpoint endpoint;
  std::vector<std::shared_ptr<connection>> idle;
  std::size_t outstanding = 0;
  clock_type::time_point ejected_until{};
  int failing = 0;  // ejections in a row since its last success
  std::uint64_t calls = 0;
};

}  // namespace

struct http_client::impl : std::enable_shared_from_this<http_client::impl> {
  asio::io_context& context;
  std::string name;
  client_options options;
  std::vector<replica_state> replicas;
  std::size_t next = 0;  // round robin's turn
  std::vector<std::shared_ptr<connection>> busy;  // for the sweep
  asio::steady_timer sweep_timer;
  bool sweeping = false;
  circuit_breaker breaker;
  retry_budget budget;
  std::mt19937_64 random{std::random_device{}()};
  std::mt19937_64 delay_random;  // the network delay's draws, seeded: a run draws the same again
  latency_histogram durations;  // of whole calls, as their callers see them

  impl(asio::io_context& c, std::string n, std::vector<peer_address> const& peers, client_options o)
      : context(c), name(std::move(n)), options(o), sweep_timer(c), breaker(o.breaker), budget(o.retry.budget),
        delay_random(o.network_seed ^ std::hash<std::string>{}(name)) {
    for (auto const& p : peers) {
      beast::error_code ec;
      replicas.push_back({tcp::endpoint(asio::ip::make_address(p.host, ec), p.port), {}, 0, {}, 0, 0});
    }
    if (replicas.empty()) replicas.emplace_back();
  }

  bool ejected(replica_state const& r, clock_type::time_point now) const { return now < r.ejected_until; }

  /// The replica for a call, other than `avoid` where there is another: among those not
  /// ejected, in turn or the less busy of two; if every other is ejected, the one back soonest.
  /// Nothing is allocated: it runs on every call.
  std::size_t pick(std::optional<std::size_t> avoid = std::nullopt) {
    auto n = replicas.size();
    if (n == 1) return 0;
    auto now = clock_type::now();
    auto usable = [&](std::size_t i) { return i != avoid && !ejected(replicas[i], now); };
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) count += usable(i) ? 1 : 0;
    if (count == 0) {
      std::size_t best = avoid && *avoid == 0 ? 1 : 0;
      for (std::size_t i = 0; i < n; ++i)
        if (i != avoid && replicas[i].ejected_until < replicas[best].ejected_until) best = i;
      return best;
    }
    if (options.policy == balance::round_robin) {
      for (std::size_t k = 0;; ++k)
        if (auto i = (next + k) % n; usable(i)) {
          next = i + 1;
          return i;
        }
    }
    auto nth_usable = [&](std::size_t k) {
      for (std::size_t i = 0;; ++i)
        if (usable(i) && k-- == 0) return i;
    };
    if (count == 1) return nth_usable(0);
    std::uniform_int_distribution<std::size_t> any(0, count - 1);
    auto a = any(random), b = any(random);
    while (b == a) b = any(random);
    auto x = nth_usable(a), y = nth_usable(b);
    return replicas[y].outstanding < replicas[x].outstanding ? y : x;
  }

  /// A replica's call ended: one that could not be reached, or did not answer in time, is
  /// ejected (never the last one standing); one that answered is healthy again.
  void record(std::size_t index, bool reached) {
    auto& r = replicas[index];
    if (reached) {
      r.failing = 0;
      r.ejected_until = {};
      return;
    }
    if (replicas.size() == 1) return;
    auto now = clock_type::now();
    std::size_t others = 0;
    for (std::size_t i = 0; i < replicas.size(); ++i) others += i != index && !ejected(replicas[i], now) ? 1 : 0;
    if (others == 0) return;
    r.ejected_until = now + options.ejection * (1 << std::min(r.failing, 3));  // 1, 2, 4, then 8 times
    ++r.failing;
  }

  /// One call of `m` as the options say: through the breaker to a replica, retried where that
  /// is safe: once at once on another replica when there is one, then after a back-off.
  struct call_state {
    bool repeatable;  // may be made twice: retried after a timeout or a lost connection
    std::string* timing;  // where the peer's Server-Timing goes, when asked for
    std::string bytes;
    std::function<void(result<reply>)> done;
    int retries = 0;
    bool moved = false;                 // tried once more on another replica
    std::optional<std::size_t> avoid;   // the replica that failed it last
    clock_type::time_point deadline{};  // over replicas: the end of the first try and its move together
    clock_type::time_point started{};   // when the caller made it
  };

  /// A call is over: its time is counted, then its caller has the answer.
  void complete(call_state& cs, result<reply> r) {
    durations.record(clock_type::now() - cs.started);
    cs.done(std::move(r));
  }

  /// When a try of `cs` must have its answer. Over replicas a call and its move to another
  /// replica share one timeout, half of it each at most (as Envoy's per-try timeout under a
  /// route's), so that a caller's caller with the same timeout still gets the moved answer.
  clock_type::time_point try_deadline(call_state& cs) const {
    auto now = clock_type::now();
    if (replicas.size() == 1) return now + options.timeout;
    if (!cs.moved) {
      cs.deadline = now + options.timeout;
      return now + options.timeout / 2;
    }
    return std::max(cs.deadline, now + std::chrono::milliseconds(1));
  }

  void call(std::shared_ptr<call_state> cs) {
    if (!breaker.allow(clock_type::now())) return complete(*cs, error{errc::unavailable, fmt::format("{} circuit open", name)});
    bool again = options.retry.max_retries > 0 || replicas.size() > 1;
    auto bytes = again ? cs->bytes : std::move(cs->bytes);
    auto index = pick(cs->avoid);
    auto deadline = try_deadline(*cs);
    send(std::move(bytes), [self = shared_from_this(), cs, index](result<reply> r, bool never_sent) {
      bool failed = !r || r->status >= 500;
      self->breaker.record(!failed, clock_type::now());
      if (failed && self->retryable(cs->repeatable, r, never_sent)) {
        cs->avoid = index;
        if (self->replicas.size() > 1 && !cs->moved && self->budget.try_spend()) {
          cs->moved = true;
          return self->call(cs);
        }
        if (cs->retries < self->options.retry.max_retries && self->budget.try_spend()) {
          auto timer =
              std::make_shared<asio::steady_timer>(self->context, jittered_backoff(self->options.retry.backoff, cs->retries, self->random));
          ++cs->retries;
          return timer->async_wait([self, cs, timer](beast::error_code) { self->call(cs); });
        }
      }
      self->complete(*cs, std::move(r));
    }, true, index, deadline, cs->timing);
  }

  static bool retryable(bool repeatable, result<reply> const& r, bool never_sent) {
    if (never_sent) return true;
    if (!repeatable) return false;
    return !r || r->status == 502 || r->status == 503 || r->status == 504;
  }

  /// One try on replica `index`: with a network delay, the request waits one draw before it is
  /// sent and the answer another after it came, each on a timer (no thread, no CPU), as a
  /// network between the two processes would hold them. The try's deadline runs meanwhile: a
  /// delay that would end past it ends the try there, with a timeout, as the wire would.
  void send(std::string request_bytes, std::function<void(result<reply>, bool never_sent)> done, bool allow_reuse, std::size_t index,
            clock_type::time_point deadline, std::string* timing) {
    if (!options.network_delay) return transmit(std::move(request_bytes), std::move(done), allow_reuse, index, deadline, timing);
    auto started = clock_type::now();
    auto timer = std::make_shared<asio::steady_timer>(context);
    if (!hold(*timer, options.network_delay->sample(delay_random), deadline))
      return timer->async_wait([self = shared_from_this(), timer, done = std::move(done), started, deadline](beast::error_code) {
        done(self->timed_out(started, deadline), false);
      });
    timer->async_wait([self = shared_from_this(), timer, bytes = std::move(request_bytes), done = std::move(done), allow_reuse, index, deadline,
                       started, timing](beast::error_code) mutable {
      self->transmit(std::move(bytes), [self, timer, done = std::move(done), deadline, started](result<reply> r, bool never_sent) mutable {
        bool in_time = self->hold(*timer, self->options.network_delay->sample(self->delay_random), deadline);
        timer->async_wait([self, timer, done = std::move(done), r = std::move(r), never_sent, in_time, started, deadline](beast::error_code) mutable {
          if (in_time) done(std::move(r), never_sent);
          else done(self->timed_out(started, deadline), false);
        });
      }, allow_reuse, index, deadline, timing);
    });
  }

  /// Sets `timer` to `delay` from now, or to `deadline` if that comes first; false then.
  static bool hold(asio::steady_timer& timer, std::chrono::nanoseconds delay, clock_type::time_point deadline) {
    auto now = clock_type::now();
    if (now + delay <= deadline) {
      timer.expires_after(delay);
      return true;
    }
    timer.expires_at(deadline);
    return false;
  }

  error timed_out(clock_type::time_point started, clock_type::time_point deadline) const {
    return error{errc::timeout, fmt::format("{} timed out after {} ms", name, std::chrono::round<std::chrono::milliseconds>(deadline - started).count())};
  }

  void transmit(std::string request_bytes, std::function<void(result<reply>, bool never_sent)> done, bool allow_reuse, std::size_t index,
                clock_type::time_point deadline, std::string* timing) {
    auto& replica = replicas[index];
    std::shared_ptr<connection> c;
    if (allow_reuse && !replica.idle.empty()) {
      c = std::move(replica.idle.back());
      replica.idle.pop_back();
      c->reused = true;
    } else {
      c = std::make_shared<connection>(context);
      c->reused = false;
    }
    c->replica = index;
    c->timing = timing;
    c->out = std::move(request_bytes);
    c->done = std::move(done);
    c->busy = true;
    c->timed_out = c->got_bytes = c->connect_failed = false;
    c->started = clock_type::now();
    c->deadline = deadline;
    ++replica.outstanding;
    ++replica.calls;
    busy.push_back(c);
    start_sweep();
    if (c->connected) return write(c);
    c->socket.async_connect(replica.endpoint, [self = shared_from_this(), c](beast::error_code ec) {
      if (ec) {
        c->connect_failed = !c->timed_out;
        return self->finish(c, ec);
      }
      c->connected = true;
      beast::error_code ignored;
      c->socket.set_option(tcp::no_delay(true), ignored);
      c->socket.non_blocking(true, ignored);
      self->write(c);
    });
  }

  void write(std::shared_ptr<connection> const& c) {
    // Requests are small: write now if the socket takes it all, and start reading at once.
    beast::error_code ec;
    auto n = c->socket.write_some(asio::buffer(c->out), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return finish(c, ec);
    if (ec) n = 0;
    if (n < c->out.size()) {
      asio::async_write(c->socket, asio::buffer(c->out.data() + n, c->out.size() - n),
                        [self = shared_from_this(), c](beast::error_code e, std::size_t) {
                          if (e && c->busy) self->finish(c, e);
                        });
    }
    c->parser.emplace();
    c->parser->body_limit(options.body_limit);
    read(c);
  }

  void read(std::shared_ptr<connection> const& c) {
    c->socket.async_read_some(c->buffer.prepare(16 * 1024), [self = shared_from_this(), c](beast::error_code ec, std::size_t n) {
      if (!c->busy) return;
      if (ec) return self->finish(c, ec);
      c->got_bytes = true;
      c->buffer.commit(n);
      while (c->buffer.size() > 0 && !c->parser->is_done()) {
        auto used = c->parser->put(c->buffer.data(), ec);
        c->buffer.consume(used);
        if (ec == http::error::need_more) {
          ec = {};
          break;
        }
        if (ec) return self->finish(c, ec);
      }
      if (!c->parser->is_done()) return self->read(c);
      self->finish(c, {});
    });
  }

  void finish(std::shared_ptr<connection> const& c, beast::error_code ec) {
    if (!c->busy) return;
    c->busy = false;
    std::erase(busy, c);
    auto& replica = replicas[c->replica];
    --replica.outstanding;
    auto done = std::move(c->done);
    if (ec || c->timed_out) {
      bool stale = c->reused && !c->got_bytes && !c->timed_out &&
                   (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe);
      drop(*c);
      if (stale) {
        // The peer closed this idle connection before our request reached it: once more, fresh.
        --replica.calls;
        return transmit(std::move(c->out), std::move(done), false, c->replica, c->deadline, c->timing);
      }
      record(c->replica, false);
      if (c->timed_out)
        return done(error{errc::timeout, fmt::format("{} timed out after {} ms", name,
                                                     std::chrono::round<std::chrono::milliseconds>(c->deadline - c->started).count())},
                    false);
      return done(error{errc::unavailable, fmt::format("{} unavailable: {}", name, ec.message())}, c->connect_failed);
    }
    record(c->replica, true);
    auto& res = c->parser->get();
    reply r{res.result_int(), std::move(res.body())};
    if (c->timing) [[unlikely]]
      if (auto st = res.find("Server-Timing"); st != res.end()) c->timing->assign(st->value());
    if (res.keep_alive() && replica.idle.size() < options.max_idle && c->buffer.size() == 0) replica.idle.push_back(c);
    else drop(*c);
    done(std::move(r), false);
  }

  void drop(connection& c) {
    beast::error_code ignored;
    c.socket.close(ignored);
    c.connected = false;
  }

  /// While requests are in flight, look at their deadlines a few times per timeout.
  void start_sweep() {
    if (sweeping) return;
    sweeping = true;
    auto period = std::clamp<std::chrono::milliseconds>(options.timeout / 8, std::chrono::milliseconds(1), std::chrono::milliseconds(100));
    sweep_timer.expires_after(period);
    sweep_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
      self->sweeping = false;
      if (ec) return;
      auto now = clock_type::now();
      for (auto const& c : self->busy) {
        if (now >= c->deadline && !c->timed_out) {
          c->timed_out = true;
          beast::error_code ignored;
          c->socket.close(ignored);  // the pending operation completes with an error
        }
      }
      if (!self->busy.empty()) self->start_sweep();
    });
  }
};

http_client::http_client(asio::io_context& context, std::string name, std::string host, std::uint16_t port,
                         client_options options)
    : http_client(context, std::move(name), std::vector<peer_address>{{std::move(host), port}}, options) {}

http_client::http_client(asio::io_context& context, std::string name, std::vector<peer_address> replicas, client_options options)
    : impl_(std::make_shared<impl>(context, std::move(name), replicas, options)) {}

http_client::~http_client() {
  for (auto& r : impl_->replicas) {
    for (auto& c : r.idle) impl_->drop(*c);
    r.idle.clear();
  }
  impl_->sweep_timer.cancel();
}

void http_client::send(method m, std::string target, std::string body, std::function<void(result<reply>)> done) {
  send(m, m == method::get || m == method::head, std::move(target), std::move(body), std::move(done));
}

void http_client::send(method m, bool repeatable, std::string target, std::string body, std::function<void(result<reply>)> done,
                       std::string* server_timing) {
  auto& i = *impl_;
  std::string bytes;
  bytes.reserve(128 + target.size() + body.size());
  if (server_timing) [[unlikely]]
    fmt::format_to(std::back_inserter(bytes),
                   FMT_COMPILE("{} {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Splitbench-Timing: 1\r\n\r\n"),
                   method_name(m), target, i.name, body.size());
  else
    fmt::format_to(std::back_inserter(bytes), FMT_COMPILE("{} {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n"),
                   method_name(m), target, i.name, body.size());
  bytes += body;
  auto now = clock_type::now();
  if (i.options.retry.max_retries == 0 && i.options.breaker.failures == 0 && i.replicas.size() == 1)
    return i.send(std::move(bytes), [done = std::move(done), now, durations = &i.durations](result<reply> r, bool) {
      durations->record(clock_type::now() - now);
      done(std::move(r));
    }, true, 0, now + i.options.timeout, server_timing);
  i.budget.on_call();
  i.call(std::make_shared<impl::call_state>(impl::call_state{repeatable, server_timing, std::move(bytes), std::move(done), 0, false, std::nullopt, {}, now}));
}

std::string const& http_client::name() const noexcept { return impl_->name; }

histogram_snapshot http_client::call_durations() const noexcept { return impl_->durations.snapshot(); }

std::vector<std::uint64_t> http_client::calls_per_replica() const {
  std::vector<std::uint64_t> out;
  for (auto const& r : impl_->replicas) out.push_back(r.calls);
  return out;
}

}  // namespace splitbench::net

#include "bench/driver/load.hpp"

#include "bench/driver/pacer.hpp"
#include "bench/driver/response_parser.hpp"
#include "core/random.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <thread>

namespace splitbench::bench {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono;

std::string make_request(std::string_view method, std::string_view target, std::string_view host,
                         std::vector<std::string> const& headers, std::string_view body) {
  std::string r = fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\n", method, target, host);
  for (auto const& h : headers) r += h + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") r += fmt::format("Content-Length: {}\r\n", body.size());
  r += "\r\n";
  r += body;
  return r;
}

void route_result::merge(route_result const& o) {
  response_time.merge(o.response_time);
  good_response_time.merge(o.good_response_time);
  service_time.merge(o.service_time);
  responses += o.responses;
  errors.add(o.errors);
  for (std::size_t c = 0; c < status_classes.size(); ++c) status_classes[c] += o.status_classes[c];
}

void error_counts::add(error_counts const& o) noexcept {
  connect += o.connect;
  read += o.read;
  write += o.write;
  timeout += o.timeout;
  parse += o.parse;
  status += o.status;
}

void validate(load_options const& o) {
  if (o.connections < 1) throw std::invalid_argument("--connections must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.connections < o.threads)
    throw std::invalid_argument(fmt::format("--connections ({}) must be at least --threads ({})", o.connections, o.threads));
  if (o.duration <= nanoseconds::zero()) throw std::invalid_argument("--duration must be above 0");
  if (o.timeout <= nanoseconds::zero()) throw std::invalid_argument("--timeout must be above 0");
  if (o.rate) {
    if (!(*o.rate > 0)) throw std::invalid_argument("--rate must be above 0");
    // Every connection must get at least one request in the measured window, or it measures nothing.
    double per_connection = *o.rate / o.connections * duration<double>(o.duration).count();
    if (per_connection < 1)
      throw std::invalid_argument(fmt::format(
          "--rate {} over {} connections sends under one request per connection in {:.3g}s; use fewer connections",
          *o.rate, o.connections, duration<double>(o.duration).count()));
  }
}

namespace {

/// A counter written by one thread and read by another: relaxed load and store, no locked add.
struct live_counter {
  std::atomic<std::uint64_t> value{0};
  void set(std::uint64_t v) noexcept { value.store(v, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
};

struct worker;

/// How a request can fail, apart from an error status.
enum class failure { read, write, timeout, parse };

class connection {
 public:
  connection(worker& w, std::uint64_t index, std::uint64_t seed);
  void connect();
  /// The run starts at t0: make the schedule and, if connected, send.
  void begin(time_point t0);
  void sweep(time_point now);
  void give_up();
  bool finished() const noexcept { return state_ == state::finished; }
  pacer const& pace() const noexcept { return pace_; }

 private:
  enum class state { connecting, backoff, waiting, in_flight, finished };

  void on_connect(boost::system::error_code ec, std::uint64_t seq);
  void next();
  void spin_then_send(time_point due);
  void send();
  void on_read(boost::system::error_code ec, std::size_t n, std::uint64_t seq);
  void on_response(time_point now);
  void fail(failure kind, time_point at);
  void finish();

  worker& w_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  pacer pace_;
  splitmix64 rng_;
  response_parser parser_;
  state state_ = state::connecting;
  std::uint64_t seq_ = 0;  // handlers of an older request or connection see a newer seq and stop
  bool timed_out_ = false;
  time_point due_{}, sent_{}, connect_started_{};
  time_point free_since_{};  // when the connection last became free to send
  milliseconds backoff_{10};
  std::size_t route_ = 0;
  std::uint64_t index_;  // among all connections of the run
  std::array<char, 16 * 1024> buffer_;
};

/// How early a timer wakes before a due time, to spin the rest of the way.
constexpr clock_type::duration max_spin = microseconds(50);

struct worker {
  worker(load_options const& o, request_mix const& m)
      : options(o), mix(m), sweep_timer(context), live(2, histogram::one_hour_ns) {
    double sum = 0;
    for (auto const& r : mix.routes) cumulative.push_back(sum += r.weight);
    for (auto const& r : mix.routes) routes.emplace_back().name = r.name;
  }

  load_options const& options;
  request_mix const& mix;
  asio::io_context context{1};
  // Keeps run() going while every connection is open and idle, until begin() comes.
  asio::executor_work_guard<asio::io_context::executor_type> hold{context.get_executor()};
  tcp::endpoint endpoint;
  std::vector<double> cumulative;
  std::vector<std::unique_ptr<connection>> connections;
  asio::steady_timer sweep_timer;
  time_point start{}, measure_start{}, end{}, hard_deadline{};
  bool started = false;
  int active = 0;
  clock_type::duration spin_margin{};  // see connection::next()

  // Results, read only after the thread has ended.
  std::vector<route_result> routes;
  histogram send_lag{3}, queue_wait{3};
  error_counts connect_errors;
  std::uint64_t reconnects = 0, unsent = 0, late = 0, in_flight_at_end = 0, completed = 0, failed = 0;
  clock_type::duration busy{};  // connections' time with a request in flight, inside the window
  int in_flight = 0;            // connections of this worker waiting for a response
  std::vector<histogram> seconds;
  std::vector<second_stats> second_counts;
  bool cancelled = false;

  // Live figures for the progress line.
  histogram live;
  live_counter live_responses, live_errors, live_p99;
  std::uint64_t responses_total = 0, errors_total = 0;
  std::int64_t live_second = -1;
  std::atomic<int> ready_connections{0};

  bool in_window(time_point t) const noexcept { return t >= measure_start && t < end; }

  std::size_t pick_route(splitmix64& rng) const noexcept {
    if (cumulative.size() == 1) return 0;
    double x = static_cast<double>(rng.next() >> 11) * 0x1.0p-53 * cumulative.back();
    return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
  }

  void count_error() noexcept { live_errors.set(++errors_total); }

  /// The part of [from, to] inside the measured window.
  clock_type::duration overlap(time_point from, time_point to) const noexcept {
    auto a = std::max(from, measure_start), b = std::min(to, end);
    return b > a ? b - a : clock_type::duration::zero();
  }

  void record(std::size_t route, time_point due, time_point sent, time_point now, unsigned status) {
    live.record(static_cast<std::uint64_t>((now - due).count()));
    live_responses.set(++responses_total);
    if (status >= 400) count_error();
    busy += overlap(sent, now);
    if (in_window(now)) ++(status < 400 ? completed : failed);
    bool counted = options.rate ? in_window(due) : in_window(sent);
    if (!counted) return;
    auto& r = routes[route];
    auto response = static_cast<std::uint64_t>((now - due).count());
    r.response_time.record(response);
    r.service_time.record(static_cast<std::uint64_t>((now - sent).count()));
    r.status_classes[std::min<unsigned>(status / 100, 5)]++;
    if (status >= 400) {
      ++r.errors.status;
    } else {
      ++r.responses;
      r.good_response_time.record(response);
    }
    auto second = duration_cast<seconds_t>(now - measure_start).count();
    if (second >= 0 && static_cast<std::size_t>(second) < seconds.size()) {
      seconds[static_cast<std::size_t>(second)].record(static_cast<std::uint64_t>((now - due).count()));
      second_counts[static_cast<std::size_t>(second)].responses++;
      if (status >= 400) second_counts[static_cast<std::size_t>(second)].errors++;
    }
  }

  /// A request that failed at `at`: it enters the response time at the time it failed.
  void record_failure(std::size_t route, time_point due, time_point sent, failure kind, time_point at) {
    count_error();
    busy += overlap(sent, at);
    if (in_window(at)) ++failed;
    bool counted = options.rate ? in_window(due) : in_window(sent);
    if (!counted) return;
    auto& r = routes[route];
    auto& e = r.errors;
    (kind == failure::read ? e.read : kind == failure::write ? e.write : kind == failure::timeout ? e.timeout : e.parse)++;
    r.response_time.record(static_cast<std::uint64_t>(std::max(at - due, clock_type::duration::zero()).count()));
    auto second = duration_cast<seconds_t>(at - measure_start).count();
    if (second >= 0 && static_cast<std::size_t>(second) < second_counts.size())
      second_counts[static_cast<std::size_t>(second)].errors++;
  }

  using seconds_t = std::chrono::seconds;

  void begin(time_point t0) {
    start = t0;
    measure_start = t0 + duration_cast<clock_type::duration>(options.warmup);
    end = measure_start + duration_cast<clock_type::duration>(options.duration);
    hard_deadline = end + duration_cast<clock_type::duration>(options.timeout) + milliseconds(100);
    auto n = static_cast<std::size_t>(duration_cast<seconds_t>(options.duration).count()) + 1;
    seconds.assign(n, histogram(2, 60'000'000'000ULL));
    second_counts.assign(n, {});
    started = true;
    hold.reset();
    // Spin at most ~10% of the thread's time: only when its share of the rate is low.
    if (options.rate) {
      double per_thread = *options.rate / options.threads;
      if (per_thread * duration<double>(max_spin).count() <= 0.1) spin_margin = max_spin;
    }
    for (auto& c : connections) c->begin(t0);
    schedule_sweep();
  }

  void schedule_sweep() {
    sweep_timer.expires_after(milliseconds(5));
    sweep_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      auto now = clock_type::now();
      if (options.cancel && options.cancel->load(std::memory_order_relaxed) && !cancelled) {
        cancelled = true;
        end = std::min(end, now);
        hard_deadline = std::min(hard_deadline, now + milliseconds(100));
      }
      auto second = duration_cast<seconds_t>(now - start).count();
      if (second != live_second) {
        live_p99.set(live.value_at_percentile(99));
        live.reset();
        live_second = second;
      }
      if (now >= hard_deadline) {
        for (auto& c : connections) c->give_up();
        context.stop();
        return;
      }
      for (auto& c : connections) c->sweep(now);
      if (active > 0) schedule_sweep();
    });
  }

  void connection_finished() {
    if (--active == 0) sweep_timer.cancel();
  }
};

connection::connection(worker& w, std::uint64_t index, std::uint64_t seed)
    : w_(w), socket_(w.context), timer_(w.context), pace_(pacer::closed_loop({})), rng_(seed), index_(index) {}

void connection::begin(time_point t0) {
  auto const& o = w_.options;
  pace_ = o.rate ? pacer::open_loop(t0, *o.rate, index_, static_cast<std::uint64_t>(o.connections)) : pacer::closed_loop(t0);
  if (state_ == state::waiting) next();
}

void connection::connect() {
  state_ = state::connecting;
  connect_started_ = clock_type::now();
  boost::system::error_code ignored;
  socket_.close(ignored);
  auto seq = ++seq_;
  socket_.async_connect(w_.endpoint, [this, seq](boost::system::error_code ec) { on_connect(ec, seq); });
}

void connection::on_connect(boost::system::error_code ec, std::uint64_t seq) {
  if (seq != seq_ || state_ == state::finished) return;
  if (ec || timed_out_) {
    timed_out_ = false;
    if (w_.started && clock_type::now() >= w_.measure_start) ++w_.connect_errors.connect;
    state_ = state::backoff;
    timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, milliseconds(1'000));
    timer_.async_wait([this, seq](boost::system::error_code e) {
      if (!e && seq == seq_ && state_ == state::backoff) connect();
    });
    return;
  }
  backoff_ = milliseconds(10);
  socket_.set_option(tcp::no_delay(true), ec);
  state_ = state::waiting;
  free_since_ = clock_type::now();
  if (!w_.started) {
    w_.ready_connections.fetch_add(1, std::memory_order_relaxed);
    return;  // the run begins once every connection is open
  }
  next();
}

void connection::next() {
  if (!w_.started) return;
  auto now = clock_type::now();
  auto due = pace_.next_due(now);
  if (due >= w_.end) return finish();
  state_ = state::waiting;
  if (now >= w_.hard_deadline) return give_up();  // what is still due is counted unsent, not dropped
  if (due <= now) return send();
  // A timer wakes tens of microseconds late on a busy or virtual machine: wake that much early
  // and spin to the due time, where the thread's rate makes the spinning cheap.
  // Never while another connection waits for a response: spinning would delay reading it.
  auto margin = w_.in_flight == 0 ? w_.spin_margin : clock_type::duration::zero();
  if (due - now <= margin) return spin_then_send(due);
  auto seq = seq_;
  timer_.expires_at(due - margin);
  timer_.async_wait([this, seq, due](boost::system::error_code ec) {
    if (!ec && seq == seq_ && state_ == state::waiting) spin_then_send(due);
  });
}

void connection::spin_then_send(time_point due) {
  while (clock_type::now() < due && w_.in_flight == 0) {
  }
  if (clock_type::now() < due) {  // another connection has a response coming: wait on the timer instead
    auto seq = seq_;
    timer_.expires_at(due);
    timer_.async_wait([this, seq](boost::system::error_code ec) {
      if (!ec && seq == seq_ && state_ == state::waiting) send();
    });
    return;
  }
  send();
}

void connection::send() {
  auto now = clock_type::now();
  due_ = pace_.take(now);
  sent_ = now;
  if (pace_.is_open_loop() && w_.in_window(due_)) {
    // Waiting for the connection is queueing; lateness after it was free is the driver's own.
    auto free_at = std::max(due_, free_since_);
    w_.queue_wait.record(static_cast<std::uint64_t>((free_at - due_).count()));
    w_.send_lag.record(static_cast<std::uint64_t>((now - free_at).count()));
    if (now - free_at > late_threshold) ++w_.late;
  }
  ++w_.in_flight;
  route_ = w_.pick_route(rng_);
  auto const& pool = w_.mix.routes[route_].requests;
  auto const& bytes = pool.size() == 1 ? pool[0] : pool[rng_.below(pool.size())];
  parser_.reset(w_.mix.routes[route_].head);
  state_ = state::in_flight;
  auto seq = ++seq_;
  asio::async_write(socket_, asio::buffer(bytes), [this, seq](boost::system::error_code ec, std::size_t) {
    if (ec && seq == seq_ && state_ == state::in_flight) fail(failure::write, clock_type::now());
  });
  socket_.async_read_some(asio::buffer(buffer_), [this, seq](boost::system::error_code ec, std::size_t n) { on_read(ec, n, seq); });
}

void connection::on_read(boost::system::error_code ec, std::size_t n, std::uint64_t seq) {
  if (seq != seq_ || state_ != state::in_flight) return;
  if (ec) {
    // A timeout counts at its deadline, not when the sweep noticed it.
    auto limit = duration_cast<clock_type::duration>(w_.options.timeout);
    return timed_out_ ? fail(failure::timeout, sent_ + limit) : fail(failure::read, clock_type::now());
  }
  std::size_t used = 0;
  auto status = parser_.feed(std::string_view(buffer_.data(), n), used);
  if (status == response_parser::status::bad || (status == response_parser::status::complete && used != n))
    return fail(failure::parse, clock_type::now());
  if (status == response_parser::status::need_more) {
    socket_.async_read_some(asio::buffer(buffer_), [this, seq](boost::system::error_code e, std::size_t m) { on_read(e, m, seq); });
    return;
  }
  on_response(clock_type::now());
}

void connection::on_response(time_point now) {
  ++seq_;
  --w_.in_flight;
  free_since_ = now;
  w_.record(route_, due_, sent_, now, parser_.code());
  if (parser_.close()) {
    if (now >= w_.measure_start) ++w_.reconnects;
    return connect();
  }
  next();
}

void connection::fail(failure kind, time_point at) {
  timed_out_ = false;
  ++seq_;
  --w_.in_flight;
  w_.record_failure(route_, due_, sent_, kind, at);
  connect();
}

void connection::sweep(time_point now) {
  auto limit = duration_cast<clock_type::duration>(w_.options.timeout);
  bool late = (state_ == state::in_flight && now - sent_ > limit) || (state_ == state::connecting && now - connect_started_ > limit);
  if (late && !timed_out_) {
    timed_out_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);  // the pending read or connect completes with an error and sees timed_out_
  }
}

void connection::finish() {
  if (state_ == state::finished) return;
  state_ = state::finished;
  ++seq_;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.close(ignored);
  w_.connection_finished();
}

void connection::give_up() {
  if (state_ == state::finished) return;
  auto now = clock_type::now();
  if (pace_.is_open_loop()) {
    // Due in the window and never sent: in the tail at the hard deadline, each of them.
    // Walked with the pacer's own due times, so the window's edges count exactly as sent requests do.
    for (auto j = pace_.taken(); pace_.due(j) < w_.end; ++j) {
      if (!w_.in_window(pace_.due(j))) continue;
      ++w_.unsent;
      w_.routes[w_.pick_route(rng_)].response_time.record(static_cast<std::uint64_t>(std::max(now - pace_.due(j), clock_type::duration::zero()).count()));
    }
  }
  if (state_ == state::in_flight) {
    if (w_.in_window(due_)) ++w_.in_flight_at_end;
    w_.record_failure(route_, due_, sent_, failure::timeout, now);
    --w_.in_flight;
  }
  finish();
}

double cpu_seconds_now() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

load_result run_load(load_options const& o, request_mix const& mix, std::function<void(load_progress const&)> const& progress) {
  validate(o);
  if (mix.routes.empty()) throw std::invalid_argument("nothing to send");
  for (auto const& r : mix.routes)
    if (r.requests.empty() || !(r.weight > 0)) throw std::invalid_argument("route '" + r.name + "' has no requests or no weight");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(o.host, ec);
  if (ec) throw std::invalid_argument("not an IP address: " + o.host);

  std::vector<std::unique_ptr<worker>> workers;
  for (int t = 0; t < o.threads; ++t) {
    workers.push_back(std::make_unique<worker>(o, mix));
    workers.back()->endpoint = tcp::endpoint(address, o.port);
  }
  // Connection k goes to thread k % threads and, in open loop, takes requests k, k + C, k + 2C, ...
  for (int k = 0; k < o.connections; ++k) {
    auto& w = *workers[static_cast<std::size_t>(k % o.threads)];
    w.connections.push_back(std::make_unique<connection>(w, static_cast<std::uint64_t>(k),
                                                         o.seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(k)));
    ++w.active;
  }
  // Open every connection before the run starts, so that connecting is never measured.
  for (auto& w : workers)
    for (auto& c : w->connections) asio::post(w->context, [c = c.get()] { c->connect(); });
  std::vector<std::thread> threads;
  for (auto& w : workers)
    threads.emplace_back([w = w.get()] {
      ::prctl(PR_SET_TIMERSLACK, 1UL);  // wake at the due time, not up to 50 us after it
      w->context.run();
    });
  auto connect_deadline = clock_type::now() + duration_cast<clock_type::duration>(o.timeout);
  auto ready = [&] {
    int n = 0;
    for (auto& w : workers) n += w->ready_connections.load(std::memory_order_relaxed);
    return n;
  };
  while (ready() < o.connections && clock_type::now() < connect_deadline) std::this_thread::sleep_for(milliseconds(1));

  auto t0 = clock_type::now() + milliseconds(2);
  for (auto& w : workers) asio::post(w->context, [w = w.get(), t0] { w->begin(t0); });

  auto measure_start = t0 + duration_cast<clock_type::duration>(o.warmup);
  auto end = measure_start + duration_cast<clock_type::duration>(o.duration);
  // The hiccup meter (as jHiccup): sleep 1 ms at a time through the window and record how late
  // each wake-up was. What it sees, the platform adds to every request, whatever the server does.
  histogram hiccups(3);
  std::atomic<bool> stop_hiccups{false};
  std::thread hiccup_thread([&] {
    ::prctl(PR_SET_TIMERSLACK, 1UL);
    std::this_thread::sleep_until(measure_start);
    while (!stop_hiccups.load(std::memory_order_relaxed)) {
      auto asked = clock_type::now() + milliseconds(1);
      std::this_thread::sleep_until(asked);
      auto woke = clock_type::now();
      if (woke > end) break;
      hiccups.record(static_cast<std::uint64_t>((woke - asked).count()));
    }
  });
  double cpu_start = 0, cpu_end = -1;
  bool cpu_started = false;
  auto last_tick = t0;
  std::uint64_t last_responses = 0;
  auto all_done = [&] {
    for (auto& w : workers)
      if (!w->context.stopped()) return false;
    return true;
  };
  while (!all_done()) {
    // Wake at the window's edges exactly, so what they sample covers the window and no more.
    auto wake = clock_type::now() + milliseconds(20);
    if (!cpu_started) wake = std::min(wake, measure_start);
    else if (cpu_end < 0) wake = std::min(wake, end);
    std::this_thread::sleep_until(wake);
    auto now = clock_type::now();
    if (!cpu_started && now >= measure_start) {
      cpu_start = cpu_seconds_now();
      cpu_started = true;
      if (o.at_measure_start) o.at_measure_start();
    }
    if (cpu_end < 0 && now >= end) {
      cpu_end = cpu_seconds_now();
      if (o.at_measure_end) o.at_measure_end();
    }
    if (progress && now - last_tick >= seconds(1)) {
      load_progress p;
      p.elapsed_seconds = duration<double>(now - t0).count();
      p.total_seconds = duration<double>(end - t0).count();
      p.warming_up = now < measure_start;
      for (auto& w : workers) {
        p.responses += w->live_responses.get();
        p.errors += w->live_errors.get();
        p.last_second_p99_ns = std::max(p.last_second_p99_ns, w->live_p99.get());
      }
      p.last_second_rps = static_cast<double>(p.responses - last_responses) / duration<double>(now - last_tick).count();
      last_responses = p.responses;
      last_tick = now;
      progress(p);
    }
  }
  for (auto& t : threads) t.join();
  if (!cpu_started) {
    cpu_start = cpu_seconds_now();
    if (o.at_measure_start) o.at_measure_start();
  }
  if (cpu_end < 0) {
    cpu_end = cpu_seconds_now();
    if (o.at_measure_end) o.at_measure_end();
  }

  stop_hiccups = true;
  hiccup_thread.join();

  load_result r;
  r.open_loop = o.rate.has_value();
  r.target_rate = o.rate.value_or(0);
  r.threads = o.threads;
  r.connections = o.connections;
  r.all.name = "all";
  for (auto const& route : mix.routes) r.routes.emplace_back().name = route.name;
  auto window_end = end;
  clock_type::duration busy{};
  for (auto& w : workers) {
    for (std::size_t i = 0; i < r.routes.size(); ++i) r.routes[i].merge(w->routes[i]);
    r.send_lag.merge(w->send_lag);
    r.queue_wait.merge(w->queue_wait);
    r.errors.add(w->connect_errors);
    r.unsent += w->unsent;
    r.late += w->late;
    r.in_flight_at_end += w->in_flight_at_end;
    r.completed += w->completed;
    r.failed += w->failed + w->connect_errors.connect;
    r.reconnects += w->reconnects;
    busy += w->busy;
    r.cancelled = r.cancelled || w->cancelled;
    if (w->cancelled) window_end = std::min(window_end, w->end);
    if (r.per_second.size() < w->second_counts.size()) r.per_second.resize(w->second_counts.size());
  }
  for (auto const& route : r.routes) r.all.merge(route);
  r.errors.add(r.all.errors);
  r.hiccups = std::move(hiccups);
  // Per second: counts add up; p50 and p99 come from the merged histograms of that second.
  for (std::size_t s = 0; s < r.per_second.size(); ++s) {
    histogram merged(2, 60'000'000'000ULL);
    for (auto& w : workers) {
      if (s >= w->second_counts.size()) continue;
      r.per_second[s].responses += w->second_counts[s].responses;
      r.per_second[s].errors += w->second_counts[s].errors;
      merged.merge(w->seconds[s]);
    }
    r.per_second[s].p50_ns = merged.value_at_percentile(50);
    r.per_second[s].p99_ns = merged.value_at_percentile(99);
  }
  // Keep only whole seconds of the window (the last one is partial when the duration is not whole).
  auto whole = static_cast<std::size_t>(duration_cast<seconds>(window_end - measure_start).count());
  if (r.per_second.size() > whole) r.per_second.resize(whole);
  r.measured_seconds = std::max(0.0, duration<double>(window_end - measure_start).count());
  if (r.measured_seconds > 0)
    r.connections_busy = duration<double>(busy).count() / (r.measured_seconds * static_cast<double>(o.connections));
  // Every request due in the window, once: answered (any status), failed, or never sent.
  auto const& e = r.all.errors;
  r.requests = r.all.responses + e.status + e.read + e.write + e.timeout + e.parse + r.unsent;
  r.driver_cpu_seconds = cpu_end - cpu_start;
  return r;
}

}  // namespace splitbench::bench

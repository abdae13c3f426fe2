#include "bench/driver/worker.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <sys/prctl.h>

namespace splitbench::bench {
namespace asio = boost::asio;
using namespace std::chrono;

namespace {

/// How early the send timer wakes before a due time, to spin the rest of the way.
constexpr clock_type::duration max_spin = microseconds(50);
/// How often timeouts, the window's end and the live figures are looked at.
constexpr milliseconds sweep_period{5};

std::uint64_t ns(clock_type::duration d) noexcept {
  return static_cast<std::uint64_t>(std::max<nanoseconds::rep>(0, duration_cast<nanoseconds>(d).count()));
}

/// One more, for readers on other threads: only this thread writes it.
void bump(std::atomic<std::uint64_t>& counter) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

/// The part of [from, to) inside [start, end), in nanoseconds.
double overlap_ns(time_point from, time_point to, time_point start, time_point end) noexcept {
  auto a = std::max(from, start), b = std::min(to, end);
  return b > a ? static_cast<double>(duration_cast<nanoseconds>(b - a).count()) : 0.0;
}

}  // namespace

worker::worker(load_options const& options, request_mix const& mix, timeline const& window, int index,
               asio::ip::tcp::endpoint endpoint, int connections)
    : options_(options),
      window_(window),
      picker_(mix, options.seed),
      first_(options.shard + options.shards * static_cast<std::uint64_t>(index)),
      stride_(options.shards * static_cast<std::uint64_t>(options.threads)),
      timeout_(options.timeout) {
  auto n = static_cast<std::size_t>(connections);
  auto& owner = static_cast<connection_owner&>(*this);
  for (std::size_t c = 0; c < n; ++c) {
    connections_.push_back(std::make_unique<connection>(context_, endpoint, owner, c));
    connections_.back()->keep_server_timing(options.timing);
  }
  exchanges_.resize(n);
  idle_.resize(n);
  idle_since_.resize(n);
  for (auto const& r : mix.routes) {
    result_.routes.emplace_back(r.name);
    if (options.timing) result_.routes.back().timing.emplace();
  }
  result_.all.name = "all";
  result_.open_loop = options.rate.has_value();
  result_.target_rate = options.rate.value_or(0) / static_cast<double>(stride_);
  result_.threads = 1;
  result_.connections = connections;
  result_.per_second.resize(static_cast<std::size_t>(ceil<seconds>(options.duration).count()));
  if (options.interval_log) intervals_.emplace(mix.routes.size());
  if (options.interval && result_.open_loop)
    for (auto& r : result_.routes) r.intervals.resize(static_cast<std::size_t>((options.duration + *options.interval - nanoseconds(1)) / *options.interval));
}

worker::~worker() = default;

void worker::open() {
  asio::post(context_, [this] {
    for (auto& c : connections_) c->open();
  });
}

void worker::begin() {
  asio::post(context_, [this] { start(); });
}

void worker::run() {
  ::prctl(PR_SET_TIMERSLACK, 1UL);  // wake at the due time, not up to 50 us after it
  context_.run();
}

void worker::start() {
  started_ = true;
  hold_.reset();
  if (options_.rate) {
    pace_ = pacer::open_loop(window_.first_due(), *options_.rate, first_, stride_);
    // Spin at most ~10% of the thread's time: only when its share of the rate is low.
    double per_thread = *options_.rate / static_cast<double>(stride_);
    if (per_thread * duration<double>(max_spin).count() <= 0.1) spin_margin_ = max_spin;
  } else {
    pace_ = pacer::closed_loop(window_.first_due());
  }
  schedule_sweep();
  dispatch();
}

// ---- connections' reports ----

void worker::on_open(connection& c) {
  unreachable_ = false;
  auto now = clock_type::now();
  push_idle(c.id(), now);
  if (!started_) {
    ready_.fetch_add(1, std::memory_order_relaxed);
    return;  // the run begins once every connection is open
  }
  dispatch();
}

void worker::on_connect_failed(connection&) {
  unreachable_ = in_flight_ == 0 && idle_count_ == 0;  // no connection is open: the server cannot be reached
  dispatch();  // requests due now fail at once
  auto now = clock_type::now();
  if (!started_ || !window_.in_window(now)) return;
  result_.all.errors.count(failure::connect);
  ++result_.all.errors_in_window;
  ++second_of(now).errors;
  bump(live_errors_);
}

void worker::on_response(connection& c, unsigned status, bool reopening) {
  auto now = clock_type::now();
  auto x = end_exchange(c, now);
  record(x, true, now, {status});
  // The window's good responses, by request as response_time counts them, split into parts.
  if (options_.timing && status < 400 && window_.in_window(result_.open_loop ? x.due : x.sent)) [[unlikely]]
    result_.routes[x.route].timing->record(c.server_timing(), ns(now - x.due), result_.open_loop ? ns(x.free - x.due) : 0);
  if (reopening) {
    if (window_.in_window(now)) ++result_.reconnects;
  } else {
    push_idle(c.id(), now);
  }
  dispatch();
}

void worker::on_failure(connection& c, failure kind) {
  auto now = clock_type::now();
  auto x = end_exchange(c, now);
  // A timeout happened at its deadline, whenever the sweep saw it.
  auto at = kind == failure::timeout ? x.sent + duration_cast<clock_type::duration>(timeout_) : now;
  record(x, true, at, {0, kind});
  dispatch();
}

void worker::on_closed(connection& c) {
  remove_idle(c.id());
  if (started_ && window_.in_window(clock_type::now())) ++result_.reconnects;
}

worker::exchange worker::end_exchange(connection const& c, time_point now) noexcept {
  auto& x = exchanges_[c.id()];
  auto copy = x;
  x.active = false;
  --in_flight_;
  busy_ns_ += overlap_ns(copy.sent, now, window_.measure_start(), window_.end());
  return copy;
}

// ---- when and where ----

void worker::dispatch() {
  if (spinning_ || finished_ || !started_) return;
  while (idle_count_ > 0 || unreachable_) {
    auto now = clock_type::now();
    if (nothing_left(now)) break;
    auto due = pace_.next_due(now);
    if (due > now) return arm(due, now);
    if (idle_count_ > 0) send(due, now);
    else refuse(due, now);
  }
  if (in_flight_ == 0 && nothing_left(clock_type::now())) finish();
}

bool worker::nothing_left(time_point now) const noexcept {
  return now >= window_.send_until() || pace_.next_due(now) >= window_.end();
}

void worker::send(time_point due, time_point now) {
  auto c = pop_idle();
  auto k = first_ + pace_.taken() * stride_;
  pace_.take(now);
  auto pick = picker_.at(k);
  exchanges_[c] = exchange{pick.route, due, std::max(due, idle_since_[c]), now, true};
  ++in_flight_;
  connections_[c]->send(pick.bytes, pick.head, now);
}

// No connection is open and the last attempt to open one failed: the server is down or gone. A
// request due now fails at once, as a client's own connect would, rather than wait for the
// driver's connections to come back; its user would not have waited either.
void worker::refuse(time_point due, time_point now) {
  auto k = first_ + pace_.taken() * stride_;
  pace_.take(now);
  record(exchange{picker_.at(k).route, due, now, now, false}, false, now, {0, failure::refused});
}

// The next send is due at `due`: a handler of its own wakes for it `spin_margin_` early (at
// once if that is past) and spins the rest of the way.
void worker::arm(time_point due, time_point now) {
  if (armed_for_ == due) return;
  armed_for_ = due;
  auto generation = ++arm_generation_;
  auto go = [this, due, generation] {
    if (generation != arm_generation_) return;  // armed again since
    armed_for_ = {};
    if (spinning_ || finished_) return;         // a spin under way sends it
    spin_until(due);
    dispatch();
  };
  if (due - now <= spin_margin_) return asio::post(context_, go);
  send_timer_.expires_at(due - spin_margin_);
  send_timer_.async_wait([go](boost::system::error_code ec) {
    if (!ec) go();
  });
}

// A timer wakes tens of microseconds late on a busy or virtual machine: it wakes that much early
// and the rest is spun. Completions that come meanwhile are run at once, nested (poll_one), so
// that no connection's read waits on another's send; dispatch() does nothing while spinning,
// and the spin's caller dispatches after it.
//
// Only ever called first thing in a handler of its own: Asio lets a nested poll_one run the
// handlers the outer handler queued on its thread without counting their work, which can take
// the io_context's count of outstanding work to zero and stop it. At a handler's start that
// queue is empty.
void worker::spin_until(time_point due) {
  spinning_ = true;
  while (clock_type::now() < due && !finished_) context_.poll_one();
  spinning_ = false;
}

void worker::push_idle(std::size_t c, time_point now) noexcept {
  idle_[(idle_head_ + idle_count_) % idle_.size()] = c;
  ++idle_count_;
  idle_since_[c] = now;
}

std::size_t worker::pop_idle() noexcept {
  auto c = idle_[idle_head_];
  idle_head_ = (idle_head_ + 1) % idle_.size();
  --idle_count_;
  return c;
}

void worker::remove_idle(std::size_t c) noexcept {
  // Rare (a server closing idle connections): compact the ring, keeping its order.
  std::size_t kept = 0;
  for (std::size_t k = 0; k < idle_count_; ++k) {
    auto id = idle_[(idle_head_ + k) % idle_.size()];
    if (id != c) idle_[(idle_head_ + kept++) % idle_.size()] = id;
  }
  idle_count_ = kept;
}

// ---- what became of each request ----

void worker::record(exchange const& x, bool sent, time_point at, outcome what) {
  auto [status, kind] = what;
  bool response = status != 0;
  bool good = response && status < 400;
  bool error = response ? status >= 400 : kind != failure::unsent && kind != failure::in_flight;
  auto& r = result_.routes[x.route];
  live_.record(ns(at - x.due));
  if (response) bump(live_responses_);
  if (error) bump(live_errors_);

  // By the time it happened: throughput, error rate, seconds.
  if (window_.in_window(at)) {
    if (good) ++r.good_in_window;
    if (error) ++r.errors_in_window;
    auto& second = second_of(at);
    if (response) ++second.responses;
    if (error) ++second.errors;
    second.response_time.record(ns(at - x.due));
    if (intervals_) intervals_->record(x.route, duration_cast<seconds>(at - window_.measure_start()).count(), ns(at - x.due));
  }

  // By the request: due in the window (open loop) or sent in it (closed loop).
  if (!window_.in_window(result_.open_loop || !sent ? x.due : x.sent)) return;
  ++result_.requests;
  r.response_time.record(ns(at - x.due));
  if (good) r.good_response_time.record(ns(at - x.due));
  if (sent) {
    r.service_time.record(ns(at - x.sent));
    if (result_.open_loop) {
      result_.queue_wait.record(ns(x.free - x.due));
      result_.send_lag.record(ns(x.sent - x.free));
      if (x.sent - x.due > late_after) ++result_.late;
    }
  }
  if (!r.intervals.empty()) {
    auto& slice = r.intervals[std::min(r.intervals.size() - 1, static_cast<std::size_t>((x.due - window_.measure_start()) / *options_.interval))];
    ++slice.due;
    slice.response_time.record(ns(at - x.due));
    // As its user sees it: an answer later than the timeout from its due time came too late.
    if (good && at - x.due <= timeout_) ++slice.good;
    else if (good) ++slice.timeouts;
    else if (status >= 500) ++slice.server_errors;
    else if (status >= 400) ++slice.client_errors;
    else if (kind == failure::timeout) ++slice.timeouts;
    else if (kind == failure::unsent || kind == failure::in_flight) ++slice.unanswered;
    else ++slice.connection_errors;
  }
  if (response) {
    ++r.responses;
    ++r.status_classes[std::min<unsigned>(status / 100, 5)];
    if (status >= 400) ++r.errors.status;
  } else if (kind == failure::unsent) {
    ++result_.unsent;
  } else if (kind == failure::in_flight) {
    ++result_.in_flight_at_end;
  } else {
    r.errors.count(kind);
  }
}

second_stats& worker::second_of(time_point t) noexcept {
  return result_.per_second[static_cast<std::size_t>(duration_cast<seconds>(t - window_.measure_start()).count())];
}

// ---- time passing ----

void worker::schedule_sweep() {
  sweep_timer_.expires_after(sweep_period);
  sweep_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && !finished_) sweep();
  });
}

void worker::sweep() {
  auto now = clock_type::now();
  auto second = duration_cast<seconds>(now - window_.first_due()).count();
  if (second != live_second_) {
    live_p99_.store(live_.value_at_percentile(99), std::memory_order_relaxed);
    live_.reset();
    live_second_ = second;
  }
  if (intervals_ && now >= window_.measure_start()) intervals_->roll(duration_cast<seconds>(now - window_.measure_start()).count());
  if (now >= window_.hard_deadline()) return finish();
  auto limit = now - duration_cast<clock_type::duration>(timeout_);
  for (auto& c : connections_) {
    c->expire(limit);
    if (finished_) return;
    if (c->idle() && now - idle_since_[c->id()] >= sweep_period) c->watch();
  }
  dispatch();
  if (!finished_) schedule_sweep();
}

void worker::finish() {
  if (finished_) return;
  auto now = clock_type::now();
  auto hard = window_.hard_deadline();
  auto timeout = duration_cast<clock_type::duration>(timeout_);
  // Requests still on their way: timed out if their deadline has passed (the sweep had not
  // looked yet), else in flight at the end, in the tail at the hard deadline.
  for (auto& c : connections_) {
    if (!exchanges_[c->id()].active) continue;
    auto x = end_exchange(*c, now);
    if (x.sent + timeout <= std::min(now, hard)) record(x, true, x.sent + timeout, {0, failure::timeout});
    else record(x, true, hard, {0, failure::in_flight});
  }
  // Requests due in the window and never sent, in the tail at the hard deadline.
  if (pace_.is_open_loop()) {
    for (auto j = pace_.taken();; ++j) {
      auto due = pace_.due(j);
      if (due >= window_.end()) break;
      if (due < window_.measure_start()) continue;
      exchange x{picker_.route_of(first_ + j * stride_), due, due, due, false};
      record(x, false, hard, {0, failure::unsent});
    }
  }
  finished_ = true;
  for (auto& c : connections_) c->close();
  ++arm_generation_;
  send_timer_.cancel();
  sweep_timer_.cancel();

  auto window = window_.end() - window_.measure_start();
  result_.measured_seconds = std::max(0.0, duration<double>(window).count());
  if (window > clock_type::duration::zero())
    result_.connections_busy = busy_ns_ / (static_cast<double>(ns(window)) * static_cast<double>(connections_.size()));
  for (auto const& r : result_.routes) result_.all.merge(r);
  if (intervals_) {
    intervals_->close_all(static_cast<std::int64_t>(result_.per_second.size()));
    result_.interval_log = std::move(intervals_->closed());
  }
  result_.cancelled = window_.cancelled();
  context_.stop();
  done_.store(true, std::memory_order_release);
}

}  // namespace splitbench::bench

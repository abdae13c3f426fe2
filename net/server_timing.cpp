#include "net/server_timing.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace splitbench::net {
namespace {

std::int64_t ns(request_timing::clock::duration d) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// Reads RFC 9110's grammar over `s` from the front, as W3C Server Timing uses it.
struct scanner {
  std::string_view s;

  void skip_ows() noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  }
  bool eat(char c) noexcept {
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
  }
  std::optional<std::string_view> token() noexcept {
    std::size_t n = 0;
    while (n < s.size() && is_tchar(s[n])) ++n;
    if (n == 0) return std::nullopt;
    auto t = s.substr(0, n);
    s.remove_prefix(n);
    return t;
  }
  /// A quoted string's content, escapes left in (no value here needs them).
  std::optional<std::string_view> quoted() noexcept {
    if (!eat('"')) return std::nullopt;
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c == '\\') {
        if (++i == s.size()) return std::nullopt;
        continue;
      }
      if (c == '"') {
        auto t = s.substr(0, i);
        s.remove_prefix(i + 1);
        return t;
      }
      if (c < 0x20 && c != '\t') return std::nullopt;
      if (c == 0x7f) return std::nullopt;
    }
    return std::nullopt;
  }
};

/// Calls `metric(name, dur)` for each metric of `value` (dur: its `dur` parameter, if any);
/// false if `value` is not valid syntax.
template <class F>
bool for_each_metric(std::string_view value, F metric) {
  scanner in{value};
  in.skip_ows();
  if (in.s.empty()) return false;
  while (true) {
    auto name = in.token();
    if (!name) return false;
    std::optional<double> dur;
    in.skip_ows();
    while (in.eat(';')) {
      in.skip_ows();
      auto param = in.token();
      if (!param) return false;
      in.skip_ows();
      if (!in.eat('=')) return false;
      in.skip_ows();
      auto v = !in.s.empty() && in.s.front() == '"' ? in.quoted() : in.token();
      if (!v) return false;
      if (*param == "dur" || *param == "DUR" || *param == "Dur") {
        double d = 0;
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
        if (ec == std::errc() && end == v->data() + v->size() && std::isfinite(d)) dur = d;
      }
      in.skip_ows();
    }
    metric(*name, dur);
    if (in.s.empty()) return true;
    if (!in.eat(',')) return false;
    in.skip_ows();
  }
}

}  // namespace

std::string format_server_timing(timing_parts const& p, std::vector<std::pair<std::string, std::int64_t>> const& calls) {
  std::string out;
  out.reserve(112 + calls.size() * 32);
  auto it = std::back_inserter(out);
  // Milliseconds to 0.1 us, written from whole numbers: no floating-point formatting per response.
  auto metric = [&](std::string_view prefix, std::string_view name, std::int64_t ns) {
    auto tenths = (ns >= 0 ? ns + 50 : ns - 50) / 100;  // of a microsecond, rounded
    auto magnitude = tenths < 0 ? -tenths : tenths;
    fmt::format_to(it, FMT_COMPILE("{}{}{};dur={}{}.{:04}"), out.empty() ? "" : ", ", prefix, name, tenths < 0 ? "-" : "", magnitude / 10'000,
                   magnitude % 10'000);
  };
  metric("", "queue", p.queue);
  metric("", "logic", p.logic);
  metric("", "codec", p.codec);
  metric("", "net", p.net);
  metric("", "total", p.total);
  for (auto const& [peer, d] : calls) metric("call-", peer, d);
  return out;
}

std::optional<timing_parts> parse_server_timing(std::string_view value) {
  timing_parts p;
  bool total = false;
  auto valid = for_each_metric(value, [&](std::string_view name, std::optional<double> dur) {
    if (!dur) return;
    auto v = static_cast<std::int64_t>(std::llround(*dur * 1e6));
    if (name == "queue") p.queue = v;
    else if (name == "logic") p.logic = v;
    else if (name == "codec") p.codec = v;
    else if (name == "net") p.net = v;
    else if (name == "total") {
      p.total = v;
      total = true;
    }
  });
  if (!valid || !total) return std::nullopt;
  return p;
}

bool valid_server_timing(std::string_view value) {
  return for_each_metric(value, [](std::string_view, std::optional<double>) {});
}

void request_timing::add_codec(clock::duration d) noexcept {
  (outstanding_ == 0 ? codec_own_ : codec_in_wait_) += d;
}

request_timing::call_ticket request_timing::call_sent(clock::time_point t) noexcept {
  if (outstanding_++ == 0) {
    wait_start_ = t;
    codec_in_wait_ = {};
  }
  return {t, codec_in_wait_};
}

void request_timing::call_answered(call_ticket const& ticket, clock::time_point t, std::string_view peer,
                                   std::optional<timing_parts> const& callee) {
  auto seen = ns(t - ticket.sent);
  calls_.emplace_back(std::string(peer), seen);
  if (--outstanding_ > 0) return;  // not the last of its wait: off the critical path
  // The wait ends with this call: it is the critical one. Before it was sent, this hop encoded
  // and sent the calls of the same wait: codec, and framing.
  auto lead = ticket.sent - wait_start_;
  from_calls_.codec += ns(ticket.codec_before);
  from_calls_.net += ns(lead - ticket.codec_before);
  if (callee) {
    from_calls_.queue += callee->queue;
    from_calls_.logic += callee->logic;
    from_calls_.codec += callee->codec;
    from_calls_.net += callee->net + (seen - callee->total);
  } else {
    from_calls_.net += seen;
  }
  waits_ += t - wait_start_;
}

timing_parts request_timing::finish(clock::time_point t) const noexcept {
  timing_parts p;
  p.total = ns(t - read_);
  auto queue = started_ ? ns(*started_ - read_) : 0;
  p.queue = queue + from_calls_.queue;
  p.codec = ns(codec_own_) + from_calls_.codec;
  p.net = from_calls_.net;
  // The rest of this hop's own time is its logic; a call still outstanding (a response given
  // before every answer came) counts in it.
  p.logic = p.total - queue - ns(codec_own_) - ns(waits_) + from_calls_.logic;
  return p;
}

timing_scope::timing_scope(request_timing* t) noexcept : previous_(detail::current_timing) { detail::current_timing = t; }

timing_scope::~timing_scope() { detail::current_timing = previous_; }

}  // namespace splitbench::net

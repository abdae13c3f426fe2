#include "bench/runner/floors.hpp"

#include "bench/driver/pacer.hpp"
#include "core/local_storefront.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace splitbench::bench {
namespace {

bool read_exactly(int fd, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    auto r = ::recv(fd, buf + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

bool write_all(int fd, char const* buf, std::size_t n) {
  std::size_t sent = 0;
  while (sent < n) {
    auto r = ::send(fd, buf + sent, n - sent, MSG_NOSIGNAL);
    if (r <= 0) return false;
    sent += static_cast<std::size_t>(r);
  }
  return true;
}

void set_nodelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

histogram loopback_round_trips(loopback_options const& o) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener, 1) != 0)
    throw std::runtime_error("loopback floor: cannot listen on 127.0.0.1");
  socklen_t len = sizeof a;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);

  pid_t parent = ::getpid();
  pid_t echo = ::fork();
  if (echo == 0) {
    // The echo server: read a request's bytes, answer a response's bytes, until the end.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(0);
    int c = ::accept(listener, nullptr, nullptr);
    set_nodelay(c);
    std::string in(o.request_bytes, '\0'), out(o.response_bytes, 'r');
    while (read_exactly(c, in.data(), in.size()) && write_all(c, out.data(), out.size())) {
    }
    ::_exit(0);
  }
  ::close(listener);
  if (echo < 0) throw std::runtime_error("loopback floor: fork failed");

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::kill(echo, SIGKILL);
    ::waitpid(echo, nullptr, 0);
    throw std::runtime_error("loopback floor: cannot connect");
  }
  set_nodelay(fd);
  ::prctl(PR_SET_TIMERSLACK, 1UL);
  std::string request(o.request_bytes, 'q'), response(o.response_bytes, '\0');
  histogram h;
  auto pace = pacer::open_loop(clock_type::now() + std::chrono::milliseconds(10), o.rate, 0, 1);
  // A short warm-up, then the samples; each sent at its due time, as the driver sends.
  for (std::size_t i = 0; i < o.samples + o.samples / 10; ++i) {
    auto due = pace.next_due(clock_type::now());
    auto early = due - std::chrono::microseconds(50);
    if (clock_type::now() < early) std::this_thread::sleep_until(early);
    while (clock_type::now() < due) {
    }
    pace.take(due);
    auto sent = clock_type::now();
    if (!write_all(fd, request.data(), request.size()) || !read_exactly(fd, response.data(), response.size())) break;
    if (i >= o.samples / 10) h.record(static_cast<std::uint64_t>((clock_type::now() - sent).count()));
  }
  ::close(fd);
  ::kill(echo, SIGKILL);
  ::waitpid(echo, nullptr, 0);
  return h;
}

double seam_call_ns(std::size_t calls) {
  local_storefront s;
  auto& shop = s.front;
  std::int64_t sink = 0;
  auto start = clock_type::now();
  for (std::size_t i = 0; i < calls; ++i)
    shop.get_product(static_cast<product_id>(1 + i % 10'000), [&sink](result<product> p) { sink += p->price_cents; });
  auto ns = std::chrono::duration<double, std::nano>(clock_type::now() - start).count();
  if (sink == 42) std::abort();  // keeps the calls from being optimised away
  return ns / static_cast<double>(calls);
}

}  // namespace splitbench::bench

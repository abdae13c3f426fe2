#pragma once
/// Ports on 127.0.0.1 held by a plain socket (no SO_REUSEPORT), so that no other process takes
/// them while a test runs: one listening, for what a server asked for a port in use does; one
/// never listened on, which refuses every connection at once.

#include <arpa/inet.h>
#include <cstdint>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace splitbench::testing {

class bound_port {
 public:
  explicit bound_port(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || (listening && ::listen(fd_, 1) != 0))
      throw std::runtime_error("cannot hold a port");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~bound_port() { ::close(fd_); }
  bound_port(bound_port const&) = delete;
  bound_port& operator=(bound_port const&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

/// A port in use: a server asked for it cannot listen there.
struct held_port : bound_port {
  held_port() : bound_port(true) {}
};

/// A port nobody listens on: a connection to it is refused.
struct closed_port : bound_port {
  closed_port() : bound_port(false) {}
};

}  // namespace splitbench::testing

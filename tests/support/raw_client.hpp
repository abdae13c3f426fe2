#pragma once
/// A blocking raw-socket client for tests: sends exact bytes and reads one response (or until
/// the server closes), with a receive timeout so a test can never hang.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace splitbench::testing {

class raw_client {
 public:
  explicit raw_client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(3'000)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~raw_client() { ::close(fd_); }
  raw_client(raw_client const&) = delete;
  raw_client& operator=(raw_client const&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  /// One response (by Content-Length), or what came before the server closed or the timeout.
  std::string read_response() {
    while (true) {
      auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        auto head = buffer_.substr(0, head_end);
        std::size_t length = 0;
        auto cl = head.find("Content-Length: ");
        if (cl != std::string::npos) length = std::stoul(head.substr(cl + 16));
        if (buffer_.size() >= head_end + 4 + length) {
          auto out = buffer_.substr(0, head_end + 4 + length);
          buffer_.erase(0, out.size());
          return out;
        }
      }
      char buf[4096];
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        auto out = buffer_;
        buffer_.clear();
        return out;
      }
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  /// True when the server has closed the connection (reads end of stream) within the timeout.
  bool closed_by_server() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

  /// The status code of a response ("HTTP/1.1 431 ..." -> 431), 0 if none.
  static unsigned status_of(std::string const& response) {
    return response.size() >= 12 && response.rfind("HTTP/1.", 0) == 0 ? static_cast<unsigned>(std::stoul(response.substr(9, 3))) : 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

}  // namespace splitbench::testing

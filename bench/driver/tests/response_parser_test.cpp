#include "bench/driver/response_parser.hpp"

#include <catch2/catch.hpp>

#include <string>

using splitbench::bench::response_parser;
using status = response_parser::status;

namespace {
/// Feeds `bytes` split at `split`; returns the final status and the bytes used in all.
std::pair<status, std::size_t> feed_split(response_parser& p, std::string const& bytes, std::size_t split) {
  std::size_t used_total = 0, used = 0;
  auto s = p.feed(std::string_view(bytes).substr(0, split), used);
  used_total += used;
  if (s != status::need_more) return {s, used_total};
  s = p.feed(std::string_view(bytes).substr(split), used);
  return {s, used_total + used};
}

/// The whole of `bytes` is one response, whatever the split.
void check_every_split(std::string const& bytes, unsigned code, bool close) {
  auto const length = bytes.size();
  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    response_parser p;
    p.reset();
    auto [s, used] = feed_split(p, bytes, split);
    INFO("split at " << split);
    REQUIRE(s == status::complete);
    REQUIRE(used == length);
    REQUIRE(p.code() == code);
    REQUIRE(p.close() == close);
  }
}
}  // namespace

TEST_CASE("Content-Length bodies, whatever the reads' boundaries") {
  std::string r = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}";
  check_every_split(r, 200, false);
}

TEST_CASE("chunked bodies with extensions and trailers") {
  std::string r = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n";
  check_every_split(r, 201, false);
  std::string plain = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n";
  check_every_split(plain, 200, false);
}

TEST_CASE("responses without a body") {
  check_every_split("HTTP/1.1 204 No Content\r\n\r\n", 204, false);
  check_every_split("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", 304, false);
  response_parser p;
  p.reset(true);  // HEAD
  std::size_t used = 0;
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
  CHECK(p.feed(head, used) == status::complete);
  CHECK(used == head.size());
}

TEST_CASE("Connection: close and HTTP/1.0") {
  check_every_split("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 200, true);
  check_every_split("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 200, true);
  check_every_split("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 200, false);
}

TEST_CASE("bytes after a complete response are not consumed") {
  response_parser p;
  p.reset();
  std::size_t used = 0;
  std::string two = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n";
  CHECK(p.feed(two, used) == status::complete);
  CHECK(used == 40);
}

TEST_CASE("garbage is refused, not waited on forever") {
  for (std::string bad : {"FTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n",
                          "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                          "HTTP/1.1 200 OK\r\n\r\n",  // no length, not chunked: unusable on keep-alive
                          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    response_parser p;
    p.reset();
    std::size_t used = 0;
    INFO(bad);
    CHECK(p.feed(bad, used) == status::bad);
  }
  response_parser p;
  p.reset();
  std::size_t used = 0;
  std::string endless = "HTTP/1.1 200 OK\r\n" + std::string(response_parser::max_head, 'x');
  CHECK(p.feed(endless, used) == status::bad);
}

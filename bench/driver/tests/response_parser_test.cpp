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

namespace {
/// The parser's verdict on `bytes` fed whole and fed one byte at a time (the two must agree).
status verdict(std::string const& bytes) {
  response_parser whole;
  whole.reset();
  std::size_t used = 0;
  auto at_once = whole.feed(bytes, used);
  response_parser bytewise;
  bytewise.reset();
  auto s = status::need_more;
  for (std::size_t i = 0; i < bytes.size() && s == status::need_more; ++i) s = bytewise.feed(std::string_view(bytes).substr(i, 1), used);
  REQUIRE(s == at_once);
  return s;
}
}  // namespace

TEST_CASE("chunked framing: every line ends in CRLF, no bare CR, no bare LF") {
  auto chunked = [](std::string const& body) { return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body; };
  REQUIRE(verdict(chunked("2\r\nok\r\n0\r\n\r\n")) == status::complete);
  for (std::string bad : {
           "2\rx\r\nok\r\n0\r\n\r\n",     // a bare CR inside the size line
           "2\r\r\nok\r\n0\r\n\r\n",      // CR CR LF
           "2;ext\rx\r\nok\r\n0\r\n\r\n",  // a bare CR inside an extension
           "2\nok\r\n0\r\n\r\n",           // the size line ends in a bare LF
           "2\r\nok\n0\r\n\r\n",           // the data ends in a bare LF
           "2\r\nok\rx0\r\n\r\n",          // ... or in a bare CR
           "2\r\nokx\r\n0\r\n\r\n",        // more data than the size says
           "2\r\nok\r\n0\n\r\n",           // the last size line ends in a bare LF
           "2\r\nok\r\n0\r\n\n",           // the trailer section ends in a bare LF
           "2\r\nok\r\n0\r\nX: 1\n\r\n",    // a trailer line ends in a bare LF
           "2\r\nok\r\n0\r\nX: 1\rx\r\n\r\n",  // a bare CR in a trailer
           "\r\nok\r\n0\r\n\r\n",          // no size at all
       }) {
    INFO(bad);
    CHECK(verdict(chunked(bad)) == status::bad);
  }
}

TEST_CASE("Transfer-Encoding: chunked once and last, never with Content-Length or in HTTP/1.0") {
  auto with = [](std::string const& head) { return "HTTP/1.1 200 OK\r\n" + head + "\r\n2\r\nok\r\n0\r\n\r\n"; };
  CHECK(verdict(with("Transfer-Encoding: chunked\r\n")) == status::complete);
  CHECK(verdict(with("Transfer-Encoding: gzip, chunked\r\n")) == status::complete);
  CHECK(verdict(with("Transfer-Encoding: gzip\r\nTransfer-Encoding: CHUNKED\r\n")) == status::complete);
  for (std::string bad : {
           "Transfer-Encoding: chunked\r\nContent-Length: 7\r\n",  // RFC 9112 6.3: a smuggling attempt
           "Content-Length: 7\r\nTransfer-Encoding: chunked\r\n",
           "Transfer-Encoding: chunked, gzip\r\n",                  // not last: read to close
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n",
           "Transfer-Encoding: chunked, chunked\r\n",               // applied twice
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
           "Transfer-Encoding: gzip\r\n",                           // no chunked at all
           "Transfer-Encoding: xchunked\r\n",                       // a name that only contains it
           "Transfer-Encoding: \r\n",
       }) {
    INFO(bad);
    CHECK(verdict(with(bad)) == status::bad);
  }
  CHECK(verdict("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n") == status::bad);
  CHECK(verdict("HTTP/1.1 200 OK\r\nX: a\nContent-Length: 0\r\n\r\n") == status::bad);  // a bare LF in the head
  CHECK(verdict("HTTP/1.1 200 OK\nX: a\r\nContent-Length: 0\r\n\r\n") == status::bad);
}

TEST_CASE("interim 1xx responses are skipped until the final one, and 101 is refused") {
  std::string final_response = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  check_every_split("HTTP/1.1 100 Continue\r\n\r\n" + final_response, 201, false);
  check_every_split("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + final_response, 201, false);
  // The final response's own framing counts, not the interim one's.
  check_every_split("HTTP/1.1 102 Processing\r\nConnection: close\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    200, false);
  CHECK(verdict("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n") == status::bad);
  // An interim response alone is not the end of anything.
  response_parser p;
  p.reset();
  std::size_t used = 0;
  CHECK(p.feed("HTTP/1.1 100 Continue\r\n\r\n", used) == status::need_more);
  CHECK(used == 25);
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

TEST_CASE("the Server-Timing value is kept when asked, and only then") {
  std::string const bytes = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nserver-timing:  logic;dur=0.0123, total;dur=0.0200 \r\n\r\n{}";
  response_parser p;
  std::size_t used = 0;
  p.reset();
  REQUIRE(p.feed(bytes, used) == status::complete);
  CHECK(p.server_timing().empty());
  p.keep_server_timing(true);
  for (std::size_t split = 1; split < bytes.size(); split += 7) {
    p.reset();
    auto [s, n] = feed_split(p, bytes, split);
    REQUIRE(s == status::complete);
    CHECK(p.server_timing() == "logic;dur=0.0123, total;dur=0.0200");
  }
  p.reset();
  REQUIRE(p.feed("HTTP/1.1 204 No Content\r\n\r\n", used) == status::complete);
  CHECK(p.server_timing().empty());  // a response without one: nothing left from the last
}

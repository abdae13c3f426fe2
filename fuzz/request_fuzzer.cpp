// Raw bytes as an HTTP request: Beast's parser with the server's limits, then, when a request
// parses, the public routes over the in-process storefront. Whatever the bytes, nothing may
// crash, no answer may be a 5xx, and every error answer must be a JSON {"error": ...}.

#include "api/front_door.hpp"
#include "core/local_storefront.hpp"
#include "net/beast_request.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/asio/buffer.hpp>

#include <cstdlib>
#include <optional>

namespace {

using namespace splitbench;

struct front {
  local_storefront shop;
  net::router routes;
  front() { api::add_public_routes(routes, shop.front); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static front f;
  boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(1024 * 1024);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !parser.is_done()) {
    auto n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    used += n;
    if (ec == boost::beast::http::error::need_more) {
      if (n == 0) break;
      ec = {};
      continue;
    }
    if (ec) return 0;  // the server answers 400/413/431 and closes
  }
  if (!parser.is_done()) return 0;
  auto const& req = parser.get();
  if (net::framing_problem(req)) return 0;  // the server answers 400 and closes
  auto r = net::view_of(req);
  bool answered = false;
  f.routes.dispatch(r, [&answered](net::response res) {
    answered = true;
    if (res.status >= 500) std::abort();
    if (res.status >= 400 && res.body.rfind("{\"error\":\"", 0) != 0) std::abort();
  });
  if (!answered) std::abort();  // in-process bindings answer before returning
  return 0;
}

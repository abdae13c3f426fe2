// Raw bytes as an HTTP request: Beast's parser with the server's limits, then, when a request
// parses, the public routes over the in-process storefront. Whatever the bytes, nothing may
// crash, no answer may be a 5xx, and every error answer must be a JSON {"error": ...}.

#include "api/front_door.hpp"
#include "core/local.hpp"
#include "core/order_desk.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/asio/buffer.hpp>

#include <cstdlib>
#include <optional>

namespace {

using namespace splitbench;

struct front {
  catalog cat;
  inventory inv{catalog::default_seed, static_cast<product_id>(cat.size())};
  pricing prices{cat};
  order_book book;
  local_catalog lc{cat};
  local_inventory li{inv};
  local_pricing lp{prices};
  order_desk desk{lc, lp, li, book};
  storefront shop{lc, li, lp, desk};
  net::router routes;
  front() { api::add_public_routes(routes, shop); }
};

net::method method_of(boost::beast::http::verb v) {
  using boost::beast::http::verb;
  return v == verb::get ? net::method::get : v == verb::post ? net::method::post : net::method::other;
}

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
  net::request r;
  r.method = method_of(req.method());
  r.target = std::string_view(req.target().data(), req.target().size());
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  r.query = q == std::string_view::npos ? std::string_view{} : r.target.substr(q + 1);
  r.body = req.body();
  bool answered = false;
  f.routes.dispatch(r, [&answered](net::response res) {
    answered = true;
    if (res.status >= 500) std::abort();
    if (res.status >= 400 && res.body.rfind("{\"error\":\"", 0) != 0) std::abort();
  });
  if (!answered) std::abort();  // in-process bindings answer before returning
  return 0;
}

#pragma once
/// What the server makes of a request Beast has parsed: the checks Beast 1.81 leaves to us, and
/// the plain view apps see. Shared with the request fuzzer, so that it tests the server's code.

#include "net/http.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string_view>

namespace splitbench::net {

using beast_request = boost::beast::http::request<boost::beast::http::string_body>;

/// Why a request's framing is ambiguous, or nothing. Beast versions after 1.81 refuse these
/// themselves; they are how requests are smuggled past a proxy.
inline std::optional<std::string_view> framing_problem(beast_request const& req) {
  using boost::beast::http::field;
  if (req.count(field::content_length) > 0 && req.count(field::transfer_encoding) > 0)
    return "Content-Length together with Transfer-Encoding";
  if (req.version() < 11 && req.count(field::transfer_encoding) > 0) return "Transfer-Encoding in HTTP/1.0";
  return std::nullopt;
}

/// The request as apps see it; views into `req`, valid while it lives.
inline request view_of(beast_request const& req) {
  using boost::beast::http::verb;
  request r;
  switch (req.method()) {
    case verb::get: r.method = method::get; break;
    case verb::post: r.method = method::post; break;
    case verb::put: r.method = method::put; break;
    case verb::delete_: r.method = method::del; break;
    case verb::head: r.method = method::head; break;
    default: r.method = method::other; break;
  }
  r.target = std::string_view(req.target().data(), req.target().size());
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  r.query = q == std::string_view::npos ? std::string_view{} : r.target.substr(q + 1);
  r.body = req.body();
  return r;
}

}  // namespace splitbench::net

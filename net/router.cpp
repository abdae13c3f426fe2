#include "net/router.hpp"

#include "net/codec.hpp"

#include <array>

namespace splitbench::net {
namespace {

/// Splits "/a/b/c" into {"a","b","c"}; false if it has more segments than any route.
bool split_path(std::string_view path, std::array<std::string_view, max_segments>& out, std::size_t& n) {
  n = 0;
  if (path.empty() || path[0] != '/') return false;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    if (n == max_segments) return false;
    out[n++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

std::string_view reason(unsigned status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

std::string_view method_name(method m) noexcept {
  switch (m) {
    case method::get: return "GET";
    case method::post: return "POST";
    case method::put: return "PUT";
    case method::del: return "DELETE";
    case method::head: return "HEAD";
    case method::other: break;
  }
  return "OTHER";
}

response error_response(unsigned status, std::string_view message) {
  return {status, codec::encode(error{errc_from_status(status), std::string(message)})};
}

void router::add(net::method m, std::string_view pattern, handler h) {
  route r{m, std::string(pattern), {}, std::move(h)};
  std::array<std::string_view, max_segments> parts;
  std::size_t n = 0;
  split_path(pattern, parts, n);
  for (std::size_t i = 0; i < n; ++i)
    r.segments.emplace_back(parts[i].starts_with('{') ? std::string_view("{}") : parts[i]);
  routes_.push_back(std::move(r));
}

route_match router::match(request const& req) const {
  route_match m;
  std::array<std::string_view, max_segments> parts;
  std::size_t n = 0;
  if (!split_path(req.path, parts, n)) return m;
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    auto const& r = routes_[index];
    if (r.segments.size() != n) continue;
    std::size_t c = 0;
    bool match = true;
    for (std::size_t i = 0; i < n && match; ++i) {
      if (r.segments[i] == "{}") {
        m.caught[c++] = parts[i];
        match = !parts[i].empty();
      } else {
        match = r.segments[i] == parts[i];
      }
    }
    if (!match) continue;
    m.path_known = true;
    if (r.method != req.method) continue;
    m.route = index;
    m.count = c;
    return m;
  }
  return m;
}

void router::dispatch(request const& req, route_match const& m, responder respond) const {
  if (m.route < routes_.size()) return routes_[m.route].handle(req, m.captures(), std::move(respond));
  if (m.path_known) return respond(error_response(405, "method not allowed"));
  respond(error_response(404, "no route for " + std::string(req.path.substr(0, 100))));
}

std::vector<route_label> router::labels() const {
  std::vector<route_label> out;
  for (auto const& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

}  // namespace splitbench::net

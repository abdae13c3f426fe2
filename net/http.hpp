#pragma once
/// The HTTP request and response as an application sees them: plain views and values, no Beast
/// types, so that routes and handlers compile without it.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace splitbench::net {

enum class method : std::uint8_t { get, post, put, del, head, other };

/// A parsed request. Its views stay valid until the handler's responder is called.
struct request {
  net::method method = method::get;
  std::string_view target;  ///< path and query, as sent
  std::string_view path;
  std::string_view query;   ///< after '?', empty if none
  std::string_view body;
};

/// What a handler answers.
struct response {
  unsigned status = 200;
  std::string body;
  std::string_view content_type = "application/json";
};

/// Completes a request; call it exactly once, on the thread that received the request.
using responder = std::function<void(response)>;

/// The reason phrase of a status code ("OK", "Not Found", ...).
std::string_view reason(unsigned status) noexcept;

/// The method as HTTP spells it ("GET", "DELETE", ...); "OTHER" for any we do not serve.
std::string_view method_name(method m) noexcept;

}  // namespace splitbench::net

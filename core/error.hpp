#pragma once
/// Expected failures of the storefront, as values.

#include <boost/system/result.hpp>

#include <iosfwd>
#include <string>
#include <string_view>

namespace splitbench {

/// What went wrong, in terms a client can act on; each kind has one HTTP status.
enum class errc {
  invalid_input,  ///< 400: the request is malformed or names something that cannot exist
  not_found,      ///< 404: a well-formed id that is not there
  conflict,       ///< 409: valid, but the state does not allow it (out of stock)
  too_large,      ///< 413: a request body over the limit
  headers_too_large,  ///< 431: request headers over the limit
  unavailable,    ///< 503: a peer service is down or refused the connection
  timeout,        ///< 504: a peer service did not answer in time
  internal,       ///< 500: a broken invariant; never expected
};

/// An expected failure: its kind and a message for the client.
struct error {
  errc code = errc::internal;
  std::string message;
  /// The HTTP status, when it is not the kind's own: a peer or an injected fault answered one
  /// the kinds do not name (502, 429), and it travels on unchanged. 0: http_status(code).
  unsigned status = 0;

  friend bool operator==(error const&, error const&) = default;
};

/// Prints `<status> <message>`, for logs and test failures.
std::ostream& operator<<(std::ostream& os, error const& e);

/// The HTTP status that stands for an error kind.
unsigned http_status(errc code) noexcept;

/// The HTTP status of an error: its own if it carries one, else its kind's.
unsigned http_status(error const& e) noexcept;

/// The error kind an HTTP status stands for (the inverse of http_status for 4xx and 5xx).
errc errc_from_status(unsigned status) noexcept;

/// The error an answer with a 4xx or 5xx status stands for: its kind, and the status itself
/// when the kind's own differs, so that http_status(error_from_status(s, m)) == s.
error error_from_status(unsigned status, std::string message);

/// A value or the error that prevented it.
template <class T>
using result = boost::system::result<T, error>;

/// Builds an error result in one expression: `return fail(errc::not_found, "no product 7");`.
inline error fail(errc code, std::string message) { return error{code, std::move(message)}; }

/// Lets result<T>::value() throw when it holds an error (only reached on a broken invariant).
[[noreturn]] void throw_exception_from_error(error const& e, boost::source_location const& loc);

}  // namespace splitbench

#include "core/error.hpp"

#include <ostream>
#include <stdexcept>

namespace splitbench {

unsigned http_status(errc code) noexcept {
  switch (code) {
    case errc::invalid_input: return 400;
    case errc::not_found: return 404;
    case errc::conflict: return 409;
    case errc::too_large: return 413;
    case errc::headers_too_large: return 431;
    case errc::unavailable: return 503;
    case errc::timeout: return 504;
    case errc::internal: break;
  }
  return 500;
}

unsigned http_status(error const& e) noexcept { return e.status != 0 ? e.status : http_status(e.code); }

errc errc_from_status(unsigned status) noexcept {
  switch (status) {
    case 400: return errc::invalid_input;
    case 404: return errc::not_found;
    case 409: return errc::conflict;
    case 413: return errc::too_large;
    case 431: return errc::headers_too_large;
    case 503: return errc::unavailable;
    case 504: return errc::timeout;
    default: break;
  }
  return status >= 400 && status < 500 ? errc::invalid_input : errc::internal;
}

error error_from_status(unsigned status, std::string message) {
  auto code = errc_from_status(status);
  return error{code, std::move(message), http_status(code) == status ? 0u : status};
}

std::ostream& operator<<(std::ostream& os, error const& e) {
  return os << http_status(e) << ' ' << e.message;
}

void throw_exception_from_error(error const& e, boost::source_location const&) {
  throw std::runtime_error(e.message);
}

}  // namespace splitbench

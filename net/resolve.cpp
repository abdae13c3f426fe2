#include "net/resolve.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>

namespace splitbench::net {

bool is_ipv4(std::string const& host) noexcept {
  boost::system::error_code ec;
  boost::asio::ip::make_address_v4(host, ec);
  return !ec;
}

boost::system::result<std::vector<std::string>> resolve_ipv4(std::string const& host) {
  if (is_ipv4(host)) return std::vector<std::string>{host};
  boost::asio::io_context context;
  boost::asio::ip::tcp::resolver resolver(context);
  boost::system::error_code ec;
  auto results = resolver.resolve(boost::asio::ip::tcp::v4(), host, "", ec);
  if (ec) return ec;
  std::vector<std::string> out;
  for (auto const& r : results) {
    auto address = r.endpoint().address().to_string();
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(std::move(address));
  }
  if (out.empty()) return boost::system::error_code(boost::asio::error::host_not_found);
  return out;
}

}  // namespace splitbench::net

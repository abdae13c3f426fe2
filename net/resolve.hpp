#pragma once
/// Host names to IPv4 addresses, once, when a process starts: on a cluster a peer is a Service's
/// DNS name ("catalog"), whose address stays while the Service does, so the hot path keeps
/// connecting to addresses and never waits on DNS.

#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace splitbench::net {

/// True for a dotted IPv4 address ("10.0.0.7"), which needs no resolving.
bool is_ipv4(std::string const& host) noexcept;

/// Every IPv4 address of `host`, in the resolver's order, without repeats; `host` itself if it is
/// an address. An error (the resolver's, as a value) when it has none.
boost::system::result<std::vector<std::string>> resolve_ipv4(std::string const& host);

}  // namespace splitbench::net

#pragma once
/// A process that runs a group of the storefront's services (host/topology.hpp): each service of
/// the group bound in-process (through the codec when serialized), each service it calls outside
/// the group through its HTTP stub. With the gateway in the group it answers the public API; each
/// other service answers its internal API where a service outside the group calls it.
///
/// The monolith is the group of all five; one process of the split is a group of one.

#include "host/process.hpp"
#include "net/client.hpp"
#include "net/routed_app.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace splitbench::split {

/// What a group's process is told of its peers: each service outside the group it calls, as the
/// addresses of that service's replicas.
struct group_peers {
  std::map<std::string, std::vector<net::peer_address>> replicas;  ///< by service
  net::client_options client;
};

/// The state the group's services keep, shared by every thread: a catalog where catalog or
/// pricing runs, the stock where inventory runs, the order book where orders runs.
class group_state {
 public:
  group_state(std::vector<std::string> services, std::uint64_t seed);
  ~group_state();
  group_state(group_state const&) = delete;
  group_state& operator=(group_state const&) = delete;

  std::vector<std::string> const& services() const noexcept { return services_; }
  bool runs(std::string_view service) const noexcept;

  struct data;
  data& state() noexcept { return *data_; }

 private:
  std::vector<std::string> services_;
  std::unique_ptr<data> data_;
};

/// One thread's app of the group. `serialized`: calls inside the group go through the codec.
std::unique_ptr<net::routed_app> make_group_app(group_state& state, boost::asio::io_context& context, host::process_options const& options,
                                                host::fault_board& faults, group_peers const& peers, bool serialized);

}  // namespace splitbench::split

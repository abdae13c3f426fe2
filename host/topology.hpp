#pragma once
/// A deployment's topology: how the storefront's five services (gateway, catalog, inventory,
/// pricing, orders) are partitioned into processes, and how calls inside a process are bound.
///
///   monolith     one process, every call in-process through the seam (splitbench-monolith)
///   serialized   one process, every call in-process but encoded and decoded through the codec as
///                the HTTP stubs do, with no socket: the codec's cost without the transport's
///   split        five processes, every call between services over HTTP
///   gateway+catalog,inventory,pricing+orders
///                a process per comma-separated group; calls inside a group are in-process,
///                calls between groups over HTTP (as Service Weaver's colocation groups)
///
/// Pure: parsed and asked without any I/O, by the processes that host groups, the runner that
/// starts them and the renderer of cluster manifests.

#include <string>
#include <string_view>
#include <vector>

namespace splitbench::host {

/// The five services, in the order a topology names them.
inline constexpr std::string_view all_services[] = {"gateway", "catalog", "inventory", "pricing", "orders"};

/// The services `service` calls: the gateway all four, orders catalog, inventory and pricing.
std::vector<std::string_view> callees_of(std::string_view service);

/// `services` in all_services' order (a group's canonical order).
void sort_services(std::vector<std::string>& services);

/// The services outside `group` that its services call: the peers its process needs.
std::vector<std::string> peers_of(std::vector<std::string> const& group);

/// Whether a service outside `group` calls `service`: its internal API is then served.
bool called_from_outside(std::vector<std::string> const& group, std::string_view service);

class topology {
 public:
  /// A topology from its text (above); services may be written in any order inside a group and
  /// groups in any order. Throws std::invalid_argument, one line naming what is wrong: an unknown
  /// service (with the nearest name), a service twice, a service in no group, an empty group.
  static topology parse(std::string_view text);
  static topology monolith();
  static topology split();
  static topology serialized();

  /// "monolith", "serialized", "split" or the groups written in canonical order: services in
  /// all_services' order inside a group, groups in the order of their first service.
  std::string const& name() const noexcept { return name_; }
  /// The groups, each a process's services, in canonical order (the gateway's first).
  std::vector<std::vector<std::string>> const& groups() const noexcept { return groups_; }
  /// Run by splitbench-monolith: `monolith` or `serialized`.
  bool single_binary() const noexcept { return single_binary_; }
  /// Calls inside a process are encoded and decoded through the codec.
  bool serialized_calls() const noexcept { return serialized_; }

  /// The process group `index` is run as: "monolith" for a single binary, a lone service's name,
  /// or the group's services joined by '+' ("pricing+orders").
  std::string process_name(std::size_t index) const;
  /// Every process's name, in the order they start: a group before the groups that call it where
  /// the calls allow, the gateway's last.
  std::vector<std::string> process_names() const;
  /// The process that runs `service`'s name; empty when no group has it.
  std::string process_of(std::string_view service) const;
  /// The index of the group that runs `service`.
  std::size_t group_of(std::string_view service) const;
  /// The services outside group `index` that its services call: the peers its process needs.
  std::vector<std::string> peers_of(std::size_t index) const;
  /// The groups in the order they start (see process_names).
  std::vector<std::size_t> start_order() const;

  friend bool operator==(topology const& a, topology const& b) { return a.name_ == b.name_; }

 private:
  std::string name_;
  std::vector<std::vector<std::string>> groups_;
  bool single_binary_ = false, serialized_ = false;
};

}  // namespace splitbench::host

#include "host/fault_switch.hpp"

namespace splitbench::host {

void fault_switch::set(fault_action action) {
  std::lock_guard lock(writing_);
  action_.store(std::make_shared<fault_action const>(std::move(action)), std::memory_order_release);
  on_.store(true, std::memory_order_release);
}

void fault_switch::clear() {
  std::lock_guard lock(writing_);
  on_.store(false, std::memory_order_release);
  action_.store(nullptr, std::memory_order_release);
}

fault_board::fault_board(std::vector<std::string> const& services, std::uint64_t seed) : seed_(seed) {
  for (auto const& s : services) switches_.push_back(std::make_unique<fault_switch>(s));
}

fault_switch* fault_board::find(std::string_view service) const noexcept {
  for (auto const& s : switches_)
    if (s->service() == service) return s.get();
  return nullptr;
}

std::uint64_t fault_board::next_seed() noexcept {
  // Spread consecutive seeds apart (splitmix64's constant), so threads' sequences do not overlap.
  return seed_ + 0x9e3779b97f4a7c15ULL * ++handed_out_;
}

}  // namespace splitbench::host

#include "host/fault_gate.hpp"

namespace splitbench::host {

error fault_gate::injected_error(fault_action const& a) const {
  return error_from_status(a.status, "injected fault in " + switch_->service() + ": " + a.text());
}

}  // namespace splitbench::host

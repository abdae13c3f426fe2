#pragma once

#include "core/error.hpp"

#include <functional>

namespace splitbench {

/// How a service answers. The contract of every service interface: the callback runs exactly once,
/// on the thread that made the call (in-process bindings call it before returning; HTTP stubs call
/// it from the caller's own io_context). So a flow's fan-out state needs no lock.
template <class T>
using callback = std::function<void(result<T>)>;

}  // namespace splitbench

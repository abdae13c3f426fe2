#pragma once
/// What /proc says of a process.

#include <cstdint>
#include <sys/types.h>

namespace splitbench::bench {

/// CPU time (user + system) of every thread of `pid` so far, in seconds: from schedstat, in
/// nanoseconds, where the kernel has it; else from stat, in clock ticks. -1 if the process is gone.
double process_cpu_seconds(pid_t pid);

/// The process's peak resident set (VmHWM), in bytes; 0 if unknown.
std::uint64_t peak_rss_bytes(pid_t pid);

}  // namespace splitbench::bench

#pragma once
/// What the operating system says of a process, by pid (0: this process).

#include <cstdint>
#include <sys/types.h>

namespace splitbench::os {

/// CPU time (user + system) of every thread the process has had, exited ones included, in
/// seconds with nanosecond resolution: the process's CPU-time clock (clock_getcpuclockid),
/// where /proc/PID/stat counts in clock ticks of 10 ms. -1 once the process is gone.
double cpu_seconds(pid_t pid = 0) noexcept;

/// When the process started, in seconds since the epoch (/proc/PID/stat's start time after the
/// boot time of /proc/stat); 0 if unknown.
double start_time_seconds(pid_t pid = 0);

/// The resident set now (VmRSS) and at its peak (VmHWM), in bytes; 0 if unknown.
std::uint64_t resident_bytes(pid_t pid = 0);
std::uint64_t peak_resident_bytes(pid_t pid = 0);

}  // namespace splitbench::os

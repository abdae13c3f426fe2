#include "os/process_usage.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace splitbench;

namespace {

double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// Spins until this thread has used `seconds` of CPU; returns what it used.
double spin(double seconds) {
  auto start = thread_cpu_seconds();
  volatile std::uint64_t x = 0;
  while (thread_cpu_seconds() - start < seconds) x = x + 1;
  return thread_cpu_seconds() - start;
}

}  // namespace

TEST_CASE("CPU time: every thread's, the exited ones' too, to well under a clock tick") {
  auto before = os::cpu_seconds();
  REQUIRE(before >= 0);
  double used = 0;
  std::thread worker([&] { used = spin(0.05); });
  worker.join();
  used += spin(0.003);  // under a third of a 10 ms tick: /proc/PID/stat could not see it
  auto after = os::cpu_seconds();
  CHECK(after - before >= used);
  CHECK(os::cpu_seconds(::getpid()) >= after);
}

TEST_CASE("CPU time of another process, and -1 once it is gone") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    spin(0.05);
    ::pause();
    ::_exit(0);
  }
  double seen = 0;
  for (int i = 0; i < 400 && seen < 0.05; ++i) {  // until the child has spun, 4 s at most
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = os::cpu_seconds(child);
  }
  CHECK(seen >= 0.05);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK(os::cpu_seconds(child) == -1);
  CHECK(os::resident_bytes(child) == 0);
}

TEST_CASE("resident memory: what is touched is resident, and the peak stays") {
  auto before = os::resident_bytes();
  REQUIRE(before > 0);
  constexpr std::size_t size = 64 << 20;
  {
    std::vector<char> block(size);
    std::memset(block.data(), 1, block.size());
    CHECK(os::resident_bytes() >= before + size * 9 / 10);
    CHECK(os::resident_bytes(::getpid()) >= before + size * 9 / 10);
  }
  CHECK(os::peak_resident_bytes() >= before + size * 9 / 10);
  CHECK(os::peak_resident_bytes() >= os::resident_bytes());
}

TEST_CASE("start time: a child's is when it was forked, to within the whole second /proc/stat gives the boot time in") {
  auto now = [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
  auto before = now();
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  auto after = now();
  auto started = os::start_time_seconds(child);
  CHECK(started >= before - 1.0);  // btime is truncated to its second; the start to a 10 ms tick
  CHECK(started <= after + 0.01);
  CHECK(os::start_time_seconds() <= started);  // this process started first
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK(os::start_time_seconds(child) == 0);
}

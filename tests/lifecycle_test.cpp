// `splitbench up` owns what it starts: whatever ends it, no process it started survives.

#include "processes.hpp"
#include "raw_client.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <poll.h>
#include <regex>
#include <thread>

using namespace splitbench::testing;
using namespace std::chrono_literals;

namespace {

/// `splitbench up` running in the background, with what it printed until it was up.
struct up_process {
  pid_t pid = -1;
  int out = -1;
  std::string printed;
  std::vector<pid_t> children;

  explicit up_process(std::string const& deployment) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid = ::fork();
    if (pid == 0) {
      ::dup2(p[1], 1);
      ::dup2(p[1], 2);
      ::close(p[0]);
      std::string self = bin("splitbench");
      char const* argv[] = {self.c_str(), "up", "--deployment", deployment.c_str(), "--listen", "127.0.0.1:0", nullptr};
      ::execv(argv[0], const_cast<char**>(argv));
      ::_exit(127);
    }
    ::close(p[1]);
    out = p[0];
    read_until("Ctrl-C stops it.");
    std::regex pid_re(R"(pid (\d+))");
    for (std::sregex_iterator it(printed.begin(), printed.end(), pid_re), end; it != end; ++it)
      children.push_back(static_cast<pid_t>(std::stoi((*it)[1])));
  }
  ~up_process() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    ::close(out);
  }
  void read_until(std::string const& marker) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (printed.find(marker) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd fd{out, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) continue;
      char buf[1024];
      auto n = ::read(out, buf, sizeof buf);
      if (n <= 0) break;
      printed.append(buf, static_cast<std::size_t>(n));
    }
    INFO(printed);
    REQUIRE(printed.find(marker) != std::string::npos);
  }
  int wait() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

bool all_gone(std::vector<pid_t> const& pids, std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    bool any = false;
    for (auto p : pids) any = any || !gone(p);
    if (!any) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("up starts the five processes of the split and SIGTERM stops them all") {
  up_process up("split");
  REQUIRE(up.children.size() == 5);
  for (auto p : up.children) CHECK_FALSE(gone(p));
  ::kill(up.pid, SIGTERM);
  CHECK(up.wait() == 0);
  CHECK(all_gone(up.children, 3s));
}

TEST_CASE("SIGKILL of up leaves no process behind") {
  up_process up("split");
  REQUIRE(up.children.size() == 5);
  ::kill(up.pid, SIGKILL);
  CHECK(up.wait() == 128 + SIGKILL);
  CHECK(all_gone(up.children, 3s));
}

TEST_CASE("Ctrl-C (SIGINT) stops the monolith") {
  up_process up("monolith");
  REQUIRE(up.children.size() == 1);
  ::kill(up.pid, SIGINT);
  CHECK(up.wait() == 0);
  CHECK(all_gone(up.children, 3s));
}

TEST_CASE("a process that dies is reported with its log, and the rest are stopped") {
  up_process up("split");
  REQUIRE(up.children.size() == 5);
  auto pricing = up.children[2];  // catalog, inventory, pricing, orders, gateway
  ::kill(pricing, SIGKILL);
  up.read_until("killed by signal 9");
  CHECK(up.printed.find("pricing (pid " + std::to_string(pricing) + ") killed by signal 9") != std::string::npos);
  CHECK(up.printed.find("listening on") != std::string::npos);  // the log's tail
  CHECK(up.wait() == 1);
  CHECK(all_gone(up.children, 3s));
}

TEST_CASE("up starts a topology of three groups, its front door answers, and SIGTERM stops them all") {
  up_process up("gateway+catalog,inventory,pricing+orders");
  REQUIRE(up.children.size() == 3);
  INFO(up.printed);
  CHECK(up.printed.find("gateway+catalog,inventory,pricing+orders up on http://127.0.0.1:") != std::string::npos);
  std::smatch front;
  REQUIRE(std::regex_search(up.printed, front, std::regex(R"(up on http://127\.0\.0\.1:(\d+))")));
  splitbench::testing::raw_client c(static_cast<std::uint16_t>(std::stoi(front[1])));
  REQUIRE(c.send("POST /api/quote HTTP/1.1\r\nHost: x\r\nContent-Length: 64\r\n\r\n{\"items\":[{\"product_id\":1,\"qty\":2}],\"region\":\"EU\",\"tier\":\"gold\"}"));
  auto answer = c.read_response();
  CHECK(splitbench::testing::raw_client::status_of(answer) == 200);
  ::kill(up.pid, SIGTERM);
  CHECK(up.wait() == 0);
  CHECK(all_gone(up.children, 3s));
}

TEST_CASE("up refuses a topology that cannot run in one line") {
  check_usage_error({bin("splitbench"), "up", "--deployment", "gateway+catalog,catalog,inventory,pricing,orders"},
                    "--deployment 'gateway+catalog,catalog,inventory,pricing,orders': catalog is placed twice; each service runs in exactly one group");
  check_usage_error({bin("splitbench"), "up", "--deployment", "catalog,inventory,pricing,orders"},
                    "gateway is in no group; without the gateway nothing serves the public API");
  check_usage_error({bin("splitbench"), "up", "--deployment", "gateway+billing,catalog,inventory,pricing,orders"}, "no service is named 'billing'");
  check_usage_error({bin("splitbench"), "run", "--deployment", "split", "--deployment", "split"}, "--deployment split is given twice");
  check_usage_error({bin("splitbench"), "run", "--deployment", "splt"}, "did you mean 'split'?");
}

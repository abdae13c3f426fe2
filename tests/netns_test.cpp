// --network netns: each process and the driver on a host of its own (a network namespace on a
// veth pair to a bridge), every link held to a bandwidth where asked; every namespace, link and
// process removed when splitbench ends, and those of one killed with SIGKILL by the next start.

#include "bench/driver/files.hpp"
#include "bench/report/report_json.hpp"
#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>
#include <filesystem>

using namespace splitbench;
using namespace splitbench::testing;
namespace json = boost::json;

namespace {

/// The namespaces process `owner` made (sb-<owner>-*).
std::vector<std::string> namespaces_of(pid_t owner) {
  std::vector<std::string> out;
  auto prefix = "sb-" + std::to_string(owner) + "-";
  if (!std::filesystem::exists("/run/netns")) return out;
  for (auto const& e : std::filesystem::directory_iterator("/run/netns"))
    if (e.path().filename().string().starts_with(prefix)) out.push_back(e.path().filename());
  return out;
}

std::string temp_dir(char const* name) {
  auto dir = std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("run --network netns puts the driver and each process on a host of its own, limits every link, and removes them all") {
  REQUIRE(::geteuid() == 0);  // namespaces need root
  auto dir = temp_dir("splitbench-netns-run");
  background b({bin("splitbench"), "run", "--results", dir, "--network", "netns", "--network-bandwidth", "1gbit", "--set", "repetitions=2",
                "--set", "compare.duration=1s", "--set", "compare.rate=300", "--set", "driver.warmup=300ms", "--set", "sweep.enabled=false"});
  auto owner = b.pid();
  int status = b.wait();
  INFO(b.printed());
  REQUIRE(status == 0);
  auto report = bench::run_result_from_json(json::parse(bench::read_file(dir + "/latest/report.json")).as_object());
  CHECK(report.network.find("hosts: driver 198.18.0.2, monolith 198.18.0.3, catalog 198.18.0.4, inventory 198.18.0.5, pricing 198.18.0.6, "
                            "orders 198.18.0.7, gateway 198.18.0.8") != std::string::npos);
  CHECK(report.network.find("every link held to 1gbit each way (tbf)") != std::string::npos);
  for (auto const* name : {"monolith", "split"}) {
    auto const* d = report.find(name);
    REQUIRE(d);
    for (auto const& p : d->processes) CHECK(p.address.starts_with("198.18.0."));
    REQUIRE(d->compare.size() == 2);
    for (auto const& m : d->compare) {
      CHECK(m.errors == 0);
      CHECK(m.responses == m.requests);
    }
  }
  CHECK(namespaces_of(owner).empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("up --network netns killed with SIGKILL leaves no process, and the next start removes its namespaces") {
  REQUIRE(::geteuid() == 0);
  auto dir = temp_dir("splitbench-netns-up");
  std::vector<pid_t> pids;
  pid_t first_owner = -1;
  {
    background up({bin("splitbench"), "up", "--deployment", "split", "--listen", "127.0.0.1:8080", "--network", "netns", "--json", dir + "/up.json",
                   "--log-dir", dir});
    REQUIRE(up.read_until("Ctrl-C stops it."));
    first_owner = up.pid();
    CHECK(up.printed().find("ip netns exec sb-" + std::to_string(first_owner) + "-driver splitbench load") != std::string::npos);
    auto doc = json::parse(bench::read_file(dir + "/up.json")).as_object();
    for (auto const& p : doc.at("processes").as_array()) {
      pids.push_back(static_cast<pid_t>(p.at("pid").as_int64()));
      CHECK(p.at("netns").as_string().starts_with("sb-" + std::to_string(first_owner) + "-"));
    }
    REQUIRE(pids.size() == 5);
    CHECK(namespaces_of(first_owner).size() == 7);  // the bridge's, the driver's and five
    ::kill(first_owner, SIGKILL);
    up.wait();
  }
  // The kernel stops its processes with it (PR_SET_PDEATHSIG). Its namespaces stay until a
  // splitbench starts a network again: the next one here, or one that a test running beside this
  // one starts meanwhile, so their count is not asserted in between.
  for (int i = 0; i < 100 && !std::all_of(pids.begin(), pids.end(), gone); ++i) ::usleep(20'000);
  for (auto pid : pids) CHECK(gone(pid));
  {
    background next({bin("splitbench"), "up", "--deployment", "monolith", "--listen", "127.0.0.1:8080", "--network", "netns", "--log-dir", dir});
    REQUIRE(next.read_until("Ctrl-C stops it."));
    CHECK(namespaces_of(first_owner).empty());
    auto second_owner = next.pid();
    CHECK(namespaces_of(second_owner).size() == 3);
    ::kill(second_owner, SIGTERM);
    CHECK(next.wait() == 0);
    CHECK(namespaces_of(second_owner).empty());
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("network namespaces and link limits are refused in one line where they cannot work") {
  check_refused({"run", "--network-bandwidth", "1gbit"}, "--network-bandwidth limits the links of --network netns");
  check_refused({"up", "--deployment", "split", "--network", "netns", "--network-bandwidth", "fast"},
                "--network-bandwidth takes a rate as tc writes it (e.g. 100mbit, 1gbit), not 'fast'");
  check_refused({"run", "--set", "deployment.network=wan"}, "--set deployment.network=wan: 'deployment.network' must be \"loopback\" or \"netns\", not \"wan\"");
  check_refused({"run", "--target", "split=http://127.0.0.1:9", "--network", "netns"}, "--network shapes deployments started here; with --target they run elsewhere");
  // Without root: refused before anything is made.
  auto r = run({"/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", bin("splitbench"), "run", "--network", "netns"});
  CHECK(r.status == 2);
  CHECK(r.output == "splitbench: --network netns makes network namespaces, which needs root (or use --network loopback)\n");
}

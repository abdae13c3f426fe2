// `splitbench deploy` validated without a cluster, by the tools a user would apply its files with:
// kubectl's kustomize builds every overlay and load directory, docker-compose reads the compose
// file, and every object kubectl builds passes the Kubernetes schemas and our own rules
// (tests/npm/validate-k8s.mjs, with kubernetes-models). Bad input gets one line and exit 2.

#include "processes.hpp"
#include "refused.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <csignal>
#include <chrono>
#include <boost/json.hpp>
#include "bench/deploy/topology.hpp"

#include "bench/driver/files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

using namespace splitbench::testing;
namespace fs = std::filesystem;

namespace {

/// The full path of a command on PATH; the test fails if it is missing (scripts/install-deps.sh installs it).
std::string on_path(std::string const& name) {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  for (std::size_t start = 0; start <= path.size();) {
    auto end = std::min(path.find(':', start), path.size());
    auto candidate = fs::path(path.substr(start, end - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  FAIL(name << " is not on PATH: scripts/install-deps.sh installs it");
  return {};
}

std::string const npm_dir = std::string(SPLITBENCH_SOURCE_DIR) + "/tests/npm";

/// Installs the pinned npm tools if they are not there (a no-op when they are).
void npm_tools() {
  auto r = run({"/bin/sh", "-c", std::string(SPLITBENCH_SOURCE_DIR) + "/scripts/npm-tools.sh"});
  INFO(r.output);
  REQUIRE(r.status == 0);
}

/// `kubectl kustomize DIR`, its YAML written to `out`; kustomize's warnings (v5 calls `bases` deprecated) are shown, not kept.
run_result kustomize(std::string const& dir, std::string const& out) {
  return run({"/bin/sh", "-c", on_path("kubectl") + " kustomize " + dir + " > " + out});
}

run_result validate(std::vector<std::string> const& files) {
  std::vector<std::string> argv{on_path("node"), npm_dir + "/validate-k8s.mjs"};
  argv.insert(argv.end(), files.begin(), files.end());
  return run(argv);
}

struct temp_dir {
  std::string path = splitbench::bench::make_temp_dir("splitbench-deploy-test");
  ~temp_dir() { fs::remove_all(path); }
};


}  // namespace

TEST_CASE("splitbench deploy: kustomize builds every overlay and load, compose reads its file, every object is valid") {
  npm_tools();
  temp_dir tmp;
  auto out = tmp.path + "/out";
  auto r = run({bin("splitbench"), "deploy", "--image", "splitbench:test", "--out", out, "--replicas", "catalog=3", "--cpu-limit",
                "pricing=0.5", "--shards", "3", "--rate", "1500", "--duration", "20s", "--namespace", "bench-1"});
  INFO(r.output);
  REQUIRE(r.status == 0);

  std::vector<std::string> built;
  for (auto [kind, deployment] : {std::pair{"overlays", "split"}, {"overlays", "monolith"}, {"load", "split"}, {"load", "monolith"}}) {
    auto dir = std::string(kind) + "/" + deployment;
    auto file = tmp.path + "/" + kind + "-" + deployment + ".yaml";
    auto k = kustomize(out + "/k8s/" + dir, file);
    INFO(dir << ": " << k.output);
    CHECK(k.status == 0);
    built.push_back(file);
  }
  auto split = splitbench::bench::read_file(tmp.path + "/overlays-split.yaml");
  CHECK(split.find("namespace: bench-1") != std::string::npos);
  CHECK(split.find("--catalog\n") != std::string::npos);
  auto job = splitbench::bench::read_file(tmp.path + "/load-split.yaml");
  CHECK(job.find("completions: 3") != std::string::npos);
  CHECK(job.find("- http://gateway:8080/") != std::string::npos);

  auto v = validate(built);
  INFO(v.output);
  CHECK(v.status == 0);
  CHECK(v.output == "18 objects valid\n");  // Namespace, ConfigMap, 6 Deployments and their Services, 2 Jobs

  auto c = run({on_path("docker-compose"), "-f", out + "/compose/compose.yaml", "config", "-q"});
  INFO(c.output);
  CHECK(c.status == 0);
}

TEST_CASE("splitbench deploy: the validation rejects a broken object, naming it") {
  npm_tools();
  temp_dir tmp;
  auto out = tmp.path + "/out";
  REQUIRE(run({bin("splitbench"), "deploy", "--target", "k8s", "--deployment", "split", "--image", "splitbench:test", "--out", out, "--rate", "1000"}).status == 0);
  auto catalog = splitbench::bench::read_file(out + "/k8s/overlays/split/catalog.yaml");

  // Against the schema: a replica count that is not a number.
  auto schema = tmp.path + "/schema.yaml";
  auto text = catalog;
  text.replace(text.find("replicas: 1"), 11, "replicas: one");
  splitbench::bench::write_file_atomically(schema, text);
  auto r = validate({schema});
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("Deployment/catalog in " + schema + ": data/spec/replicas must be integer") != std::string::npos);

  // Against our rules: a Service whose targetPort no container has.
  auto port = tmp.path + "/port.yaml";
  text = catalog;
  text.replace(text.find("targetPort: http"), 16, "targetPort: web");
  splitbench::bench::write_file_atomically(port, text);
  r = validate({port});
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("Service/catalog in " + port + ": targetPort web is no container port of Deployment catalog") != std::string::npos);

  // A Job whose shards and pods disagree.
  auto shards = tmp.path + "/shards.yaml";
  text = splitbench::bench::read_file(out + "/k8s/load/split/job.yaml");
  text.replace(text.find("parallelism: 2"), 14, "parallelism: 1");
  splitbench::bench::write_file_atomically(shards, text);
  r = validate({shards});
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(r.output.find("Job/load-split in " + shards + ": parallelism 1 and completions 2 differ") != std::string::npos);
}

TEST_CASE("splitbench deploy: bad input gets one line and exit 2") {
  temp_dir tmp;
  auto sb = bin("splitbench");
  auto out = tmp.path + "/out";
  check_usage_error({sb, "deploy", "--target", "k8", "--image", "x", "--out", out}, "--target must be k8s or compose, not 'k8'; did you mean 'k8s'?");
  check_usage_error({sb, "deploy", "--deployment", "splt", "--image", "x", "--out", out},
                    "--deployment must be monolith or split, not 'splt'; did you mean 'split'?");
  check_usage_error({sb, "deploy", "--out", out}, "--image");
  check_usage_error({sb, "deploy", "--image", "x"}, "--out");
  check_usage_error({sb, "deploy", "--deployment", "monolith", "--replicas", "catalog=2", "--image", "x", "--out", out},
                    "--replicas: catalog=2: the monolith deployment has no process named catalog");
  check_usage_error({sb, "deploy", "--deployment", "split", "--cpu-limit", "monolith=1", "--image", "x", "--out", out},
                    "--cpu-limit: monolith=1: the split deployment has no process named monolith");
  check_usage_error({sb, "deploy", "--namespace", "Bench", "--image", "x", "--out", out}, "--namespace must be a DNS-1123 label");
  fs::create_directories(out);
  splitbench::bench::write_file_atomically(out + "/keep", "x");
  check_usage_error({sb, "deploy", "--image", "x", "--out", out + "/new"},
                    "--shards 2 divides one open-loop schedule among its pods: give its rate in all with --rate R");
  check_usage_error({sb, "deploy", "--image", "x", "--out", out + "/new", "--rate", "1", "--duration", "1s"},
                    "the load Job's command: --rate 1 over 10 connections sends under one request per connection");
  check_usage_error({sb, "deploy", "--image", "x", "--out", out, "--rate", "1000"}, "exists and is not empty; --force writes over it");
  CHECK(run({sb, "deploy", "--image", "x", "--out", out, "--force", "--rate", "1000"}).status == 0);
  CHECK(fs::exists(out + "/keep"));
}

TEST_CASE("the load Job's command runs: each shard, its index and start filled in as Kubernetes fills them, against a monolith") {
  temp_dir tmp;
  background up({bin("splitbench"), "up", "--deployment", "monolith", "--listen", "127.0.0.1:0", "--log-dir", tmp.path});
  REQUIRE(up.read_until("Ctrl-C stops it."));
  auto at = up.printed().find("http://");
  auto front = up.printed().substr(at + 7, up.printed().find(' ', at) - at - 7);
  splitbench::deploy::deploy_spec spec;
  spec.image = "x";
  spec.rate = 400;
  spec.duration = "1s";
  auto start = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 3;
  std::vector<std::unique_ptr<background>> shards;
  for (int i = 0; i < spec.shards; ++i) {
    auto argv = splitbench::deploy::load_command(spec, splitbench::bench::topology::monolith());
    for (auto& word : argv) {
      if (auto k = word.find("$(JOB_COMPLETION_INDEX)"); k != std::string::npos) word.replace(k, 23, std::to_string(i));
      if (word == "$(START_AT)") word = std::to_string(start);
      if (word.starts_with("http://monolith:")) word = "http://" + front + "/";
    }
    REQUIRE(argv.front() == "splitbench");
    argv.front() = bin("splitbench");
    shards.push_back(std::make_unique<background>(argv));
  }
  for (auto& shard : shards) {
    int status = shard->wait();
    INFO(shard->printed());
    REQUIRE(status == 0);
    // The pod's log is the shard's JSON and nothing else: kubectl logs collects it as it is.
    auto doc = boost::json::parse(shard->printed()).as_object();
    CHECK(doc.at("requests").to_number<double>() == 200);  // half of 1 s at 400 req/s
  }
  ::kill(up.pid(), SIGTERM);
  up.wait();
}

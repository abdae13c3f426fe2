#include "bench/commands/commands.hpp"

#include "bench/driver/load.hpp"

#include "bench/deploy/render.hpp"
#include "bench/driver/files.hpp"
#include "cli/flags.hpp"
#include "cli/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace splitbench::bench {
namespace {

/// `--NAME WORD`, repeatable, WORD one of `choices`; a near miss gets a suggestion.
cli::flag words(std::string name, std::vector<std::string> choices, std::vector<std::string>& target, std::string default_text, std::string help) {
  std::string value, either;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    value += (i ? "|" : "") + choices[i];
    either += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  }
  return {.name = name, .value = value, .default_text = std::move(default_text), .help = std::move(help),
          .set = [&target, choices, name, either](std::string_view v) {
            if (std::find(choices.begin(), choices.end(), v) == choices.end()) {
              auto near = cli::nearest(v, choices);
              throw cli::usage_error(fmt::format("--{} must be {}, not '{}'{}", name, either, v, near ? "; did you mean '" + *near + "'?" : ""));
            }
            if (std::find(target.begin(), target.end(), v) == target.end()) target.emplace_back(v);
          },
          .repeatable = true, .choices = choices};
}

/// A flag `up` and `run` share, saying what it means in rendered files.
cli::flag on_a_cluster(cli::flag f, std::string help) {
  f.help = std::move(help);
  return f;
}

/// A DNS-1123 label, as Kubernetes names a namespace: a-z, 0-9 and '-', 63 at most, alphanumeric at both ends.
bool dns_label(std::string_view s) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return !s.empty() && s.size() <= 63 && alnum(s.front()) && alnum(s.back()) &&
         std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

/// The output directory: new, or empty, or --force.
void check_out_dir(std::string const& dir, bool force) {
  std::error_code ec;
  auto status = std::filesystem::status(dir, ec);
  if (!std::filesystem::exists(status)) return;
  if (!std::filesystem::is_directory(status)) throw cli::usage_error(fmt::format("--out {} exists and is not a directory", dir));
  if (!force && !std::filesystem::is_empty(dir, ec))
    throw cli::usage_error(fmt::format("--out {} exists and is not empty; --force writes over it", dir));
}

}  // namespace

int deploy_command(int argc, char** argv) {
  deploy::deploy_spec spec;
  std::vector<std::string> targets, deployments, replicas, cpu_limits;
  std::string out;
  bool force = false;
  std::chrono::milliseconds duration{30'000};
  cli::command table{
      .name = "splitbench deploy",
      .summary = "render the deployments for a cluster: Kubernetes (kustomize overlays, the sharded load as an Indexed Job) "
                 "and docker-compose, running the processes `splitbench up` runs",
      .flags = {words("target", {"k8s", "compose"}, targets, "both", "what to render for: Kubernetes (DIR/k8s) or docker-compose (DIR/compose)"),
                words("deployment", {"monolith", "split"}, deployments, "both", "which build of the storefront to render"),
                on_a_cluster(replicas_flag(replicas), "the replicas of that process's Deployment (compose: deploy.replicas), its callers "
                                                      "reaching them through its Service"),
                on_a_cluster(cpu_limit_flag(cpu_limits), "that process's requests.cpu and limits.cpu (compose: cpus); without it each "
                                                          "process requests 250m and is limited to --threads cores"),
                cli::required(cli::text("image", spec.image, "IMAGE",
                                        "the container image every process and the load run (built from the Containerfile)")),
                cli::required(cli::text("out", out, "DIR", "where the files go: a new or empty directory")),
                {.name = "force", .help = "write into --out even if it holds files (those rendered again are replaced)",
                 .set = [&](std::string_view) { force = true; }},
                cli::whole("shards", spec.shards, 1, 1'000, "pods of the load Job, each driving its share of the load"),
                cli::number("rate", spec.rate, "the load's rate, as `splitbench load --rate` takes it", "R",
                            "none (closed loop, as fast as the connections allow)"),
                cli::duration("duration", duration, "the load's measured window"),
                cli::text("namespace", spec.ns, "NAME", "the Kubernetes namespace everything goes in"),
                cli::whole("threads", spec.threads, 1, 256, "threads of each process and of each load shard; the CPU limit in cores without --cpu-limit"),
                cli::whole("seed", spec.seed, 0, INT64_MAX, "seed of the generated catalog and stock")},
      .examples = {"splitbench deploy --image registry.example/splitbench:1 --out deploy --rate 1000",
                   "splitbench deploy --target k8s --deployment split --replicas catalog=3 --cpu-limit pricing=0.5 --image splitbench:1 --out deploy",
                   "splitbench deploy --target compose --image splitbench:1 --out deploy --force",
                   "splitbench deploy --image splitbench:1 --out deploy --shards 4 --rate 2000 --duration 1m"},
      .notes = "Then: kubectl apply -k DIR/k8s/overlays/split; set the start time in ConfigMap load-split-start; kubectl apply -k "
               "DIR/k8s/load/split; kubectl logs collects each shard's JSON. README.md, \"On a cluster\", has every step.",
  };
  cli::parse(argc, argv, 2, table);
  if (!targets.empty()) {
    spec.targets.clear();
    for (auto const& t : targets) spec.targets.push_back(t == "k8s" ? deploy::target::k8s : deploy::target::compose);
  }
  if (!deployments.empty()) {
    spec.deployments.clear();
    for (auto const& d : deployments) spec.deployments.push_back(parse_deployment(d));
  }
  try {
    spec.cpu_limits = parse_cpu_limits(cpu_limits, spec.deployments);
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(std::string("--cpu-limit: ") + e.what());
  }
  try {
    spec.replicas = parse_replicas(replicas, spec.deployments);
  } catch (cli::usage_error const& e) {
    throw cli::usage_error(std::string("--replicas: ") + e.what());
  }
  if (!dns_label(spec.ns))
    throw cli::usage_error(fmt::format("--namespace must be a DNS-1123 label (a-z, 0-9 and '-', at most 63, a letter or digit at both ends), not '{}'", spec.ns));
  if (spec.image.empty()) throw cli::usage_error("--image must name an image, e.g. splitbench:1");
  if (duration.count() <= 0) throw cli::usage_error("--duration must be longer than 0s");
  spec.duration = cli::format_duration(duration);
  // The load Job's command must be one `splitbench load` takes: refused here, not in every pod.
  load_options shard;
  shard.rate = spec.rate;
  shard.shards = spec.shards;
  shard.threads = spec.threads;
  shard.duration = duration;
  if (spec.shards > 1 && !spec.rate)
    throw cli::usage_error(fmt::format("--shards {} divides one open-loop schedule among its pods: give its rate in all with --rate R", spec.shards));
  try {
    validate(shard);
  } catch (std::invalid_argument const& e) {
    throw cli::usage_error(std::string("the load Job's command: ") + e.what());
  }
  check_out_dir(out, force);

  auto files = deploy::render(spec);
  for (auto const& [path, text] : files) {
    auto full = std::filesystem::path(out) / path;
    std::filesystem::create_directories(full.parent_path());
    write_file_atomically(full.string(), text);
  }
  fmt::print("wrote {} files under {}\n", files.size(), out);
  for (auto const& [path, text] : files) fmt::print("  {}\n", path);
  return 0;
}

}  // namespace splitbench::bench

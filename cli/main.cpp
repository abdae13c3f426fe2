#include "cli/main.hpp"

#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace splitbench::cli {
namespace {
std::atomic<bool> stop_requested{false};
extern "C" void on_stop_signal(int) { stop_requested.store(true); }
}  // namespace

std::atomic<bool> const& stop_on_signals() {
  for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, on_stop_signal);
  return stop_requested;
}

int guarded_main(char const* name, std::function<int()> const& body) {
  try {
    return body();
  } catch (help_request const& h) {
    std::fputs(h.text.c_str(), stdout);
    return 0;
  } catch (usage_error const& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 2;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

command describe(std::function<int(int argc, char** argv)> const& run, std::vector<std::string> words) {
  words.emplace_back("--help");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  try {
    run(static_cast<int>(words.size()), argv.data());
  } catch (help_request const& h) {
    return h.described;
  }
  throw std::logic_error(words.front() + " did not stop at --help");
}

}  // namespace splitbench::cli

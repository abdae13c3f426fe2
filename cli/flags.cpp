#include "cli/flags.hpp"

#include <algorithm>

namespace splitbench::cli {
namespace {

constexpr char const* address_form = "IPv4 address and port, e.g. 127.0.0.1:8080";

/// "a, b or c" with (", ", " or "); "a|b|c" with ("|", "|").
std::string either(std::vector<std::string> const& choices, std::string_view joint, std::string_view last_joint) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i)
    out.append(i == 0 ? "" : i + 1 == choices.size() ? last_joint : joint).append(choices[i]);
  return out;
}

}  // namespace

flag required(flag f) {
  f.required = true;
  return f;
}

flag with_default(flag f, std::string text) {
  f.default_text = std::move(text);
  return f;
}

flag number(std::string name, double& target, std::string help, std::string value) {
  auto what = "--" + name;
  return {.name = std::move(name), .value = std::move(value), .type = "number above 0", .default_text = format_number(target),
          .help = std::move(help), .set = [&target, what](std::string_view v) { target = parse_positive(v, what); }};
}

flag number(std::string name, std::optional<double>& target, std::string help, std::string value, std::string when_absent) {
  auto what = "--" + name;
  return {.name = std::move(name), .value = std::move(value), .type = "number above 0",
          .default_text = target ? format_number(*target) : std::move(when_absent), .help = std::move(help),
          .set = [&target, what](std::string_view v) { target = parse_positive(v, what); }};
}

flag text(std::string name, std::string& target, std::string value, std::string help) {
  return {.name = std::move(name), .value = std::move(value), .default_text = target, .help = std::move(help),
          .set = [&target](std::string_view v) { target = v; }};
}

flag one_of(std::string name, std::vector<std::string> choices, std::string default_text, std::string help,
            std::function<void(std::string_view)> set) {
  auto what = "--" + name + " must be " + either(choices, ", ", " or ");
  auto check = [choices, what, set = std::move(set)](std::string_view v) {
    if (std::find(choices.begin(), choices.end(), v) == choices.end()) throw usage_error(what + ", not '" + std::string(v) + "'");
    set(v);
  };
  auto value = either(choices, "|", "|");
  return {.name = std::move(name), .value = std::move(value), .default_text = std::move(default_text), .help = std::move(help),
          .set = std::move(check), .choices = std::move(choices)};
}

flag one_of(std::string name, std::string& target, std::vector<std::string> choices, std::string help) {
  return one_of(std::move(name), std::move(choices), target, std::move(help), [&target](std::string_view v) { target = v; });
}

flag each(std::string name, std::vector<std::string>& target, std::string value, std::string help) {
  return {.name = std::move(name), .value = std::move(value), .help = std::move(help),
          .set = [&target](std::string_view v) { target.emplace_back(v); }, .repeatable = true};
}

flag address(std::string name, std::string& host, std::uint16_t& port, std::string help) {
  return {.name = std::move(name), .value = "HOST:PORT", .type = address_form, .default_text = host + ":" + std::to_string(port),
          .help = std::move(help), .set = [&host, &port](std::string_view v) {
            auto a = parse_host_port(v);
            host = a.host;
            port = a.port;
          }};
}

flag address(std::string name, std::optional<host_port>& target, std::string help) {
  return {.name = std::move(name), .value = "HOST:PORT", .type = address_form, .help = std::move(help),
          .set = [&target](std::string_view v) { target = parse_host_port(v); }};
}

flag addresses(std::string name, std::vector<host_port>& target, std::string help) {
  return {.name = std::move(name), .value = "HOST:PORT[,...]", .type = "IPv4 address or host name and port, or several comma-separated, e.g. 127.0.0.1:9001,127.0.0.1:9002 or catalog:8080",
          .help = std::move(help), .set = [&target](std::string_view v) {
            target.clear();
            for (std::size_t start = 0;;) {
              auto comma = v.find(',', start);
              target.push_back(parse_peer_address(v.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
              if (comma == std::string_view::npos) break;
              start = comma + 1;
            }
          }};
}

}  // namespace splitbench::cli

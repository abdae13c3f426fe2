#pragma once
/// Flags built from the variable they set: the default a help page shows is that variable's
/// value when the table is made, and a bad value's message names the flag and the form it takes.
///
///   cli::whole("threads", o.threads, 1, 256, "threads, each with its own event loop")
///   help:   --threads N     threads, each with its own event loop
///                           whole number from 1 to 256; default: 1

#include "cli/options.hpp"

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::cli {

/// The form of a duration, as help pages and errors give it.
inline constexpr char const* duration_form = "a duration such as 500ms, 10s or 2m";

/// `f`, which the command cannot do without.
flag required(flag f);

/// `f`, its default described in words: "a new directory under /tmp".
flag with_default(flag f, std::string text);

/// `--name N`: a whole number from min to max.
template <std::integral T>
flag whole(std::string name, T& target, std::int64_t min, std::int64_t max, std::string help, std::string value = "N") {
  auto type = max == INT64_MAX ? "whole number from " + std::to_string(min)
                               : "whole number from " + std::to_string(min) + " to " + std::to_string(max);
  auto what = "--" + name;
  return {.name = std::move(name), .value = std::move(value), .type = std::move(type), .default_text = std::to_string(target),
          .help = std::move(help),
          .set = [&target, min, max, what](std::string_view v) { target = static_cast<T>(parse_integer(v, min, max, what)); }};
}

/// `--name VALUE`: a number above 0.
flag number(std::string name, double& target, std::string help, std::string value = "NUMBER");
/// `--name VALUE`: a number above 0, or nothing (`when_absent` says what that means).
flag number(std::string name, std::optional<double>& target, std::string help, std::string value, std::string when_absent);

/// `--name DURATION`, e.g. 500ms, 10s or 2m, rounded down to the target's unit.
template <class Rep, class Period>
flag duration(std::string name, std::chrono::duration<Rep, Period>& target, std::string help) {
  using target_type = std::chrono::duration<Rep, Period>;
  return {.name = std::move(name), .value = "DURATION", .type = duration_form,
          .default_text = format_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(target)), .help = std::move(help),
          .set = [&target](std::string_view v) { target = std::chrono::duration_cast<target_type>(parse_duration(v)); }};
}

/// `--name VALUE`: any text, such as a file name.
flag text(std::string name, std::string& target, std::string value, std::string help);

/// `--name a|b|c`: one of a few words.
flag one_of(std::string name, std::string& target, std::vector<std::string> choices, std::string help);
/// `--name a|b|c`: one of a few words, handed to `set` once checked.
flag one_of(std::string name, std::vector<std::string> choices, std::string default_text, std::string help,
            std::function<void(std::string_view)> set);

/// `--name VALUE`, repeatable: each value appended to `target`.
flag each(std::string name, std::vector<std::string>& target, std::string value, std::string help);

/// `--name HOST:PORT`: an IPv4 address and a port.
flag address(std::string name, std::string& host, std::uint16_t& port, std::string help);
/// `--name HOST:PORT`, with no default.
flag address(std::string name, std::optional<host_port>& target, std::string help);
/// `--name HOST:PORT[,...]`: one address or several (replicas of one service); HOST may be a name.
flag addresses(std::string name, std::vector<host_port>& target, std::string help);

}  // namespace splitbench::cli

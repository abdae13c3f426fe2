#include "cli/help.hpp"

#include <algorithm>

namespace splitbench::cli {
namespace {

constexpr std::size_t width = 100;
constexpr std::size_t column = 28;  // where the meaning of a flag starts

/// `words` joined by spaces into lines before `width`, every line but the first indented by
/// `indent`; the first starts at `first_column`.
std::string wrap_words(std::vector<std::string> const& words, std::size_t indent, std::size_t first_column) {
  std::string out;
  std::size_t at = first_column;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && at + 1 + words[i].size() > width) {
      out += '\n' + std::string(indent, ' ');
      at = indent;
    } else if (i > 0) {
      out += ' ';
      ++at;
    }
    out += words[i];
    at += words[i].size();
  }
  return out;
}

std::string wrap(std::string_view text, std::size_t indent, std::size_t first_column) {
  std::vector<std::string> words;
  for (std::size_t start = 0; start < text.size();) {
    auto end = std::min(text.find(' ', start), text.size());
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return wrap_words(words, indent, first_column);
}

std::string flag_usage(flag const& f) { return "--" + f.name + (f.value.empty() ? "" : " " + f.value); }

/// "  --name VALUE         meaning" and, below, its form, repetition and default.
void describe(std::string& out, std::string const& left, std::string const& meaning, std::string const& details) {
  out += "  " + left;
  if (left.size() + 2 < column) out += std::string(column - left.size() - 2, ' ');
  else out += '\n' + std::string(column, ' ');
  out += wrap(meaning, column, column) + "\n";
  if (!details.empty()) out += std::string(column, ' ') + wrap(details, column, column) + "\n";
}

std::string details_of(flag const& f) {
  std::vector<std::string> parts;
  if (!f.type.empty()) parts.push_back(f.type);
  if (f.required) parts.emplace_back("required");
  if (f.repeatable) parts.emplace_back("repeatable");
  if (!f.default_text.empty()) parts.push_back("default: " + f.default_text);
  std::string out;
  for (auto const& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}


/// The synopsis in the pieces a line may break between: "[--body FILE]" stays whole.
std::vector<std::string> synopsis_pieces(command const& c) {
  if (!c.usage.empty()) return {c.usage};
  std::vector<std::string> out{c.name};
  for (auto const& o : c.operands) out.push_back(o.more ? o.name + "..." : o.name);
  for (auto const& f : c.flags)
    if (f.required) out.push_back(flag_usage(f) + (f.repeatable ? "..." : ""));
  for (auto const& f : c.flags)
    if (!f.required) out.push_back(std::string("[").append(flag_usage(f)).append(f.repeatable ? "]..." : "]"));
  return out;
}

}  // namespace

std::string synopsis(command const& c) {
  std::string out;
  for (auto const& piece : synopsis_pieces(c)) out += (out.empty() ? "" : " ") + piece;
  return out;
}

std::string help_page(command const& c) {
  std::string out = "usage: ";
  // The synopsis wraps under its first operand or flag: "usage: " is 7 columns.
  out += wrap_words(synopsis_pieces(c), 7 + c.name.size() + 1, 7) + "\n\n";
  out += wrap(c.summary, 0, 0) + "\n";
  if (!c.operands.empty()) {
    out += "\narguments:\n";
    for (auto const& o : c.operands) describe(out, o.name, o.about, "");
  }
  if (!c.commands.empty()) {
    out += "\n" + c.commands_title + ":\n";
    for (auto const& sub : c.commands) describe(out, sub.name, sub.about, "");
  }
  out += "\noptions:\n";
  for (auto const& f : c.flags) describe(out, flag_usage(f), f.help, details_of(f));
  describe(out, "-h, --help", "print this page and exit", "");
  describe(out, "--version", "print the version, commit and build type and exit", "");
  if (!c.examples.empty()) {
    out += "\nexamples:\n";
    for (auto const& e : c.examples) out += "  " + e + "\n";
  }
  if (!c.notes.empty()) out.append("\n").append(wrap(c.notes, 0, 0)).append("\n");
  return out;
}

}  // namespace splitbench::cli

#include "bench/deploy/yaml.hpp"

#include "cli/values.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace splitbench::deploy {
namespace {

/// Words YAML 1.1 or 1.2 reads as something other than a string.
bool special_word(std::string_view s) {
  static constexpr std::array<std::string_view, 22> words = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
                                                             "True", "False", "Yes", "No", "On", "Off", "Y", "N", "Null", "NULL",
                                                             "TRUE", "FALSE"};
  return std::find(words.begin(), words.end(), s) != words.end();
}

/// Whether `s` reads back as itself when written plain: letters, digits and a few marks that
/// start nothing in YAML, and not a number, a boolean or null.
bool plain_safe(std::string_view s) {
  if (s.empty() || special_word(s)) return false;
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '-' ||
           c == ':' || c == '@' || c == '+' || c == '=';
  };
  if (!std::all_of(s.begin(), s.end(), allowed)) return false;
  if ((s.front() == '-' && (s.size() == 1 || s.starts_with("---"))) || s.front() == ':' || s.front() == '@' || s.back() == ':') return false;
  // Anything a number could be read from (8080, 0.5, 1e3, 0x1F, 12:30) is quoted.
  bool numeric_looking = std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E' || c == ':' || c == '_';
  });
  if (numeric_looking && std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) return false;
  if (s == ".inf" || s == ".nan" || s == ".Inf" || s == ".NaN") return false;
  return true;
}

std::string scalar(boost::json::value const& v) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    // A JSON string is a valid YAML double-quoted string.
    return plain_safe(s) ? std::string(s) : boost::json::serialize(v);
  }
  if (v.is_double()) return cli::format_number(v.get_double());  // 0.5, not 5E-1
  return boost::json::serialize(v);  // whole numbers, booleans, null
}

bool is_block(boost::json::value const& v) {
  if (v.is_object()) return !v.get_object().empty();
  if (v.is_array()) return !v.get_array().empty();
  return false;
}

/// A string of several lines, written as a literal block; only when it ends with one newline
/// and no line has trailing blanks that the block would lose.
bool literal_block(boost::json::value const& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.get_string();
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n' || s.find('\n') == s.size() - 1) return false;
  if (s.front() == ' ' || s.find(" \n") != std::string_view::npos || s.find('\t') != std::string_view::npos) return false;
  return true;
}

void emit(std::string& out, boost::json::value const& v, int indent);

void emit_literal(std::string& out, std::string_view s, int indent) {
  out += "|\n";
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find('\n', start);
    auto line = s.substr(start, end - start);
    if (!line.empty()) out.append(static_cast<std::size_t>(indent), ' ').append(line);
    out += '\n';
    start = end + 1;
  }
}

/// After "key:" or "-": the value on the same line, or below it indented.
void emit_value(std::string& out, boost::json::value const& v, int indent) {
  if (literal_block(v)) {
    out += ' ';
    emit_literal(out, v.get_string(), indent);
  } else if (is_block(v)) {
    out += '\n';
    emit(out, v, indent);
  } else {
    out += ' ';
    out += v.is_object() ? "{}" : v.is_array() ? "[]" : scalar(v);
    out += '\n';
  }
}

void emit(std::string& out, boost::json::value const& v, int indent) {
  auto pad = std::string(static_cast<std::size_t>(indent), ' ');
  if (v.is_object()) {
    for (auto const& [key, value] : v.get_object()) {
      out += pad + scalar(boost::json::value(key)) + ':';
      emit_value(out, value, indent + 2);
    }
  } else if (v.is_array()) {
    for (auto const& item : v.get_array()) {
      if (item.is_object() && !item.get_object().empty()) {
        // The first key on the dash's line, the others under it.
        std::string inner;
        emit(inner, item, indent + 2);
        out += pad + "- " + inner.substr(static_cast<std::size_t>(indent) + 2);
      } else {
        out += pad + '-';
        emit_value(out, item, indent + 2);
      }
    }
  } else {
    out += pad + scalar(v) + '\n';
  }
}

}  // namespace

std::string to_yaml(boost::json::value const& document) {
  std::string out;
  emit(out, document, 0);
  return out;
}

std::string to_yaml_stream(std::vector<boost::json::value> const& documents) {
  std::string out;
  for (std::size_t i = 0; i < documents.size(); ++i) out += (i ? "---\n" : "") + to_yaml(documents[i]);
  return out;
}

}  // namespace splitbench::deploy

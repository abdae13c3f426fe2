#pragma once
/// Writes JSON straight into a string, in the form json::serialize gives (no spaces, the same
/// escapes), without building a document first: encoding a product this way takes half the
/// instructions. Header-only so that every encoder inlines it; key() and value(integer), called
/// a few times per field, are always inlined, as a compiler does not do on its own for a header's
/// inline functions used by a dozen encoders (callgrind counts them: scripts/instructions.py).
///
///   json_writer w;
///   w.begin_object().field("id", 7).field("name", "Oak").end_object();
///   w.take();  // {"id":7,"name":"Oak"}

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

namespace splitbench::codec {

/// Keys are ours (plain ASCII) and written as they are; string values are escaped.
class json_writer {
 public:
  json_writer() { out_.reserve(256); }

  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }

  /// `"k":`, after a comma where one is due; the value follows.
  [[gnu::always_inline]] json_writer& key(std::string_view k) {
    separate();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    first_ = true;
    return *this;
  }

  template <std::integral Int>
    requires(!std::same_as<Int, bool>)
  [[gnu::always_inline]] json_writer& value(Int v) {
    separate();
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    out_.append(digits, end);
    return *this;
  }
  json_writer& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  json_writer& value(std::string_view text) {
    separate();
    escaped(text);
    return *this;
  }
  json_writer& value(char const* text) { return value(std::string_view(text)); }

  /// `"k":v`
  template <class T>
  json_writer& field(std::string_view k, T const& v) {
    return key(k).value(v);
  }

  /// The text written so far; the writer is empty afterwards.
  std::string take() { return std::move(out_); }

 private:
  json_writer& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  json_writer& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }

  void escaped(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    auto plain = text.begin();
    for (auto it = text.begin(); it != text.end(); ++it) {
      auto c = static_cast<unsigned char>(*it);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(plain, it);
      plain = it + 1;
      out_ += '\\';
      switch (c) {
        case '"': out_ += '"'; break;
        case '\\': out_ += '\\'; break;
        case '\b': out_ += 'b'; break;
        case '\t': out_ += 't'; break;
        case '\n': out_ += 'n'; break;
        case '\f': out_ += 'f'; break;
        case '\r': out_ += 'r'; break;
        default:
          out_ += "u00";
          out_ += hex[c >> 4];
          out_ += hex[c & 15];
      }
    }
    out_.append(plain, text.end());
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
};

}  // namespace splitbench::codec

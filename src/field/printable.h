// Text that comes from a file someone else made (ONNX node, op and value
// names; names carried in a verifying key or proof; what a JSON parser read)
// is escaped before it reaches a message or the terminal: control characters
// could drive the user's terminal (ANSI escape sequences, bells) and invalid
// UTF-8 breaks whatever reads zkinfer's output. Header-only and beside
// error.h so every module, and zk::Error itself, can use it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zk {

namespace detail {

// The length of the valid UTF-8 sequence at s[i], or 0 where the bytes there
// are not one (overlong forms, surrogates and code points above U+10FFFF
// included, so that only well-formed text passes through unescaped).
inline size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;  // overlong
    if (c == 0xed) hi = 0x9f;  // UTF-16 surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;  // overlong
    if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size() || b(1) < lo || b(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(k) < 0x80 || b(k) > 0xbf) return 0;
  // C1 controls (U+0080..U+009F) act like ESC on some terminals.
  if (n == 2 && c == 0xc2 && b(1) <= 0x9f) return 0;
  return n;
}

}  // namespace detail

// Whether '\n' and '\t' pass through (whole messages) or are escaped (names,
// which must stay on their line).
enum class Newlines { kEscape, kKeep };

// s with every control character, DEL and byte of invalid UTF-8 written as
// \xNN, valid printable UTF-8 kept, and at most max bytes of s shown, then a
// marker saying how long s was. Backslashes are kept as they are, so applying
// it twice changes nothing (errors are escaped once more as they are made).
inline std::string printable(std::string_view s, size_t max = 200,
                             Newlines lines = Newlines::kEscape) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() < max ? s.size() : max);
  size_t i = 0;
  while (i < s.size() && i < max) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool keep_ws = lines == Newlines::kKeep && (c == '\n' || c == '\t');
    const size_t n = detail::utf8_length(s, i);
    if (n > 1 || (n == 1 && ((c >= 0x20 && c != 0x7f) || keep_ws))) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
    ++i;
  }
  if (i < s.size()) out += "...(" + std::to_string(s.size()) + " bytes in all)";
  return out;
}

}  // namespace zk

// The common base of every error zkinfer reports to its user (bad files, bad
// models, out-of-range values, rejected proofs, bad command lines). Callers
// catch zk::Error for "the input was wrong" and treat anything else as a bug.
// Header-only and at the bottom of the dependency graph so every module can
// derive its own error type from it.
#pragma once

#include <stdexcept>
#include <string>

#include "field/printable.h"

namespace zk {

class Error : public std::runtime_error {
 public:
  // Every message is escaped as it is made: messages quote names and text
  // read from other people's files, and whoever prints one (the command line,
  // a program using the library) should not have to remember to escape it.
  explicit Error(const std::string& what)
      : std::runtime_error(printable(what, kMaxMessage, Newlines::kKeep)) {}
  explicit Error(const char* what) : Error(std::string(what)) {}

  static constexpr size_t kMaxMessage = 16384;
};

}  // namespace zk

// The common base of every error zkinfer reports to its user (bad files, bad
// models, out-of-range values, rejected proofs, bad command lines). Callers
// catch zk::Error for "the input was wrong" and treat anything else as a bug.
// Header-only and at the bottom of the dependency graph so every module can
// derive its own error type from it.
#pragma once

#include <stdexcept>

namespace zk {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace zk

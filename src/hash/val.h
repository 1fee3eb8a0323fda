// What the verifier knows about a value the prover sent.
//
// Without zero knowledge every message is read as is, and a Val is just a
// known field element. In zero-knowledge mode every message m is sent as
// s = m + p under a one-time pad p that the prover committed to before the
// protocol started (the Longfellow approach, Frigo-shelat 2024). The
// verifier then holds m only as the expression s - p: a Val is
//   c + sum_k lin_k * pad_k + sum_(i,j) quad_ij * pad_i * pad_j,
// and every check it makes becomes a constraint on the committed pads that
// is proven at the end, inside the commitment (docs/ZERO_KNOWLEDGE.md).
// Checks are at most quadratic: a product of two expressions that are both
// quadratic is a programming error and throws.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "field/goldilocks.h"

namespace zk {

class Val {
 public:
  Val() = default;
  Val(Fp2 x) : c_(x) {}  // NOLINT: a known value converts implicitly
  // The message sent as `sent` under pad number `pad`: sent - pad.
  static Val padded(Fp2 sent, uint32_t pad) {
    Val v(sent);
    v.lin_.push_back({pad, -Fp2::one()});
    return v;
  }

  bool known() const { return lin_.empty() && quad_.empty(); }
  // The value itself; only for a known Val (throws otherwise).
  Fp2 value() const {
    if (!known()) throw std::logic_error("Val: value of an expression over hidden pads");
    return c_;
  }
  Fp2 constant() const { return c_; }
  const std::vector<std::pair<uint32_t, Fp2>>& lin() const { return lin_; }
  const std::vector<std::tuple<uint32_t, uint32_t, Fp2>>& quad() const { return quad_; }

  Val& operator+=(const Val& o);
  Val& operator-=(const Val& o);
  Val& operator*=(Fp2 k);
  Val operator-() const;
  friend Val operator+(Val a, const Val& b) { return a += b; }
  friend Val operator-(Val a, const Val& b) { return a -= b; }
  friend Val operator*(Val a, Fp2 k) { return a *= k; }
  friend Val operator*(Fp2 k, Val a) { return a *= k; }
  friend Val operator*(const Val& a, const Val& b);
  // Equality of known values (tests and the prover); comparing expressions
  // over pads is a programming error (use VerifierChannel::expect_eq).
  friend bool operator==(const Val& a, const Val& b) { return a.value() == b.value(); }

 private:
  Fp2 c_;
  std::vector<std::pair<uint32_t, Fp2>> lin_;
  std::vector<std::tuple<uint32_t, uint32_t, Fp2>> quad_;  // i <= j
};

}  // namespace zk

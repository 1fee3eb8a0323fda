// Multilinear extensions over the boolean hypercube. Variables are ordered
// little-endian: variable 0 is the least significant bit of the index, so a
// tensor stored row-major has its last dimension in the lowest variables.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "field/goldilocks.h"

namespace zk {

using Point = std::vector<Fp2>;

// eq(r, x) for every x in {0,1}^|r|: out[x] = prod_i (r_i x_i + (1-r_i)(1-x_i)).
std::vector<Fp2> eq_table(std::span<const Fp2> r);
// scale * eq(r, x) written into out (|out| = 2^|r|).
void eq_table_into(std::span<Fp2> out, std::span<const Fp2> r, Fp2 scale);
// eq(r, x) for one boolean index x.
Fp2 eq_at_index(std::span<const Fp2> r, size_t x);
// eq(r, s) for two field points of equal length.
Fp2 eq_eval(std::span<const Fp2> r, std::span<const Fp2> s);

// Evaluates the multilinear extension of v (|v| = 2^|r|) at r.
Fp2 mle_eval(std::span<const Fp> v, std::span<const Fp2> r);
Fp2 mle_eval(std::span<const Fp2> v, std::span<const Fp2> r);
// Evaluation of a vector of signed integers (embedded mod p).
Fp2 mle_eval_int(std::span<const int64_t> v, std::span<const Fp2> r);

// Fixes the highest |r| variables of v to r: out[j] = sum_h eq(r,h) v[h*stride + j].
std::vector<Fp2> fold_high(std::span<const Fp2> v, std::span<const Fp2> r);
std::vector<Fp2> fold_high_int(std::span<const int64_t> v, std::span<const Fp2> r);

// Sum over x < n of eq(r, x): the MLE of the indicator of [0, n) at r.
Fp2 prefix_indicator(std::span<const Fp2> r, size_t n);

std::vector<Fp2> to_ext(std::span<const int64_t> v);

// 1, x, x^2, ..., x^(n-1): the coefficients of a random linear combination.
inline std::vector<Fp2> powers(Fp2 x, size_t n) {
  std::vector<Fp2> out(n);
  Fp2 p = Fp2::one();
  for (auto& v : out) {
    v = p;
    p *= x;
  }
  return out;
}

inline unsigned log2_exact(size_t n) {
  unsigned k = 0;
  while ((size_t{1} << k) < n) ++k;
  return k;
}

}  // namespace zk

// Zero-knowledge sumcheck with a masking polynomial (Chiesa-Forbes-Spooner
// 2017; Libra, Xie et al. CRYPTO'19). The prover draws
//   g(x) = c + sum_i g_i(x_i),  g_i(X) = sum_{j=1..d} a_ij X^j,
// announces G = sum over the hypercube of g, receives rho, and runs the
// sumcheck on f + rho*g with claim H + rho*G. The round messages are then
// simulatable from H and the single value f(r) the verifier must learn
// anyway; g(r) is revealed (g is independent of the witness). In the full
// protocol g is committed before G is announced; here the caller supplies it.
#pragma once

#include <functional>
#include <vector>

#include "hash/random.h"
#include "sumcheck/sumcheck.h"

namespace zk {

struct SumcheckMask {
  unsigned num_vars = 0, degree = 0;
  Fp2 constant;
  std::vector<Fp2> coeffs;  // a_ij at i * degree + (j - 1)
  static SumcheckMask random(unsigned num_vars, unsigned degree, Prng& rng);
  Fp2 univariate(unsigned i, Fp2 x) const;  // g_i(x)
  Fp2 eval(const Point& r) const;           // g(r)
  Fp2 hypercube_sum() const;                // sum over {0,1}^n of g
};

struct ZkSumcheckResult {
  Point point;
  Fp2 mask_value;  // g(point)
};

// Proves sum_x f(x) = claim for f given as in sumcheck_prove; degree must be
// at least the mask's. On return the tables are folded to f's factors at the
// point. `before_fold(i)`, if given, sees the tables after round i's challenge
// and before they fold with it (folded by rounds 0..i-1).
ZkSumcheckResult zk_sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                                   const std::vector<ProductTerm>& terms, unsigned degree,
                                   const SumcheckMask& mask,
                                   const std::function<void(unsigned)>& before_fold = {});

// The same for f = a * v (degree 2) with v in the base field, as
// zk_sumcheck_prove would prove it with v lifted (the same messages): the
// first round multiplies and folds v as base-field values, which then fold
// into `tables` ({a, v}, folded by round 0) for the other rounds; a and v
// are then released. before_fold(0) runs before that first fold (a and v
// still whole, `tables` empty). a and v hold the first entries of
// 2^mask.num_vars (the same number; the rest are zero), and the folded
// tables only what can be nonzero (sumcheck_prove_vars).
ZkSumcheckResult zk_sumcheck_prove_base(ProverChannel& ch, std::vector<Fp2>& a, std::vector<Fp>& v,
                                        std::vector<std::vector<Fp2>>& tables,
                                        const SumcheckMask& mask,
                                        const std::function<void(unsigned)>& before_fold = {});

// Verifies; returns the point, and in `value` what f(point) must equal once the
// caller supplies g(point) (the caller discharges both).
struct ZkSumcheckClaim {
  Point point;
  Fp2 combined;  // f(point) + rho * g(point)
  Fp2 rho;
  // f(point) given the mask's value there.
  Fp2 f_value(Fp2 mask_value) const { return combined - rho * mask_value; }
};
[[nodiscard]] ZkSumcheckClaim zk_sumcheck_verify(VerifierChannel& ch, Fp2 claim, unsigned num_vars,
                                                 unsigned degree);

}  // namespace zk

#include "sumcheck/zk_sumcheck.h"

#include <cassert>

namespace zk {

SumcheckMask SumcheckMask::random(unsigned num_vars, unsigned degree, Prng& rng) {
  SumcheckMask m;
  m.num_vars = num_vars;
  m.degree = degree;
  m.constant = rng.next_fp2();
  m.coeffs.resize(size_t{num_vars} * degree);
  for (auto& c : m.coeffs) c = rng.next_fp2();
  return m;
}

Fp2 SumcheckMask::univariate(unsigned i, Fp2 x) const {
  Fp2 acc = Fp2::zero(), pw = x;
  for (unsigned j = 0; j < degree; ++j) {
    acc += coeffs[i * degree + j] * pw;
    pw *= x;
  }
  return acc;
}

Fp2 SumcheckMask::eval(const Point& r) const {
  Fp2 acc = constant;
  for (unsigned i = 0; i < num_vars; ++i) acc += univariate(i, r[i]);
  return acc;
}

namespace {
Fp2 pow2(unsigned k) { return Fp2(Fp(uint64_t{1} << k)); }
}  // namespace

Fp2 SumcheckMask::hypercube_sum() const {
  // Each g_i(0) = 0, so the variable parts contribute 2^(n-1) g_i(1) each.
  Fp2 s = constant * pow2(num_vars);
  for (unsigned i = 0; i < num_vars; ++i) s += univariate(i, Fp2::one()) * pow2(num_vars - 1);
  return s;
}

ZkSumcheckResult zk_sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                                   const std::vector<ProductTerm>& terms, unsigned degree,
                                   const SumcheckMask& mask,
                                   const std::function<void(unsigned)>& before_fold) {
  assert(degree >= mask.degree && mask.num_vars < 60);
  unsigned n = mask.num_vars;
  ch.send(mask.hypercube_sum());
  Fp2 rho = ch.challenge("zk-sumcheck-rho");
  // The mask's round polynomial is known in closed form: with m = n - i - 1
  // free variables left, sum_{x>i} g(r<i, X, x>i) =
  //   2^m (c + sum_{k<i} g_k(r_k) + g_i(X)) + 2^(m-1) sum_{k>i} g_k(1).
  std::vector<Fp2> g_at_one(n);
  for (unsigned i = 0; i < n; ++i) g_at_one[i] = mask.univariate(i, Fp2::one());
  Fp2 prefix = mask.constant;
  RoundHooks hooks;
  hooks.adjust = [&](unsigned i, std::vector<Fp2>& evals) {
    unsigned m = n - i - 1;
    Fp2 rest = Fp2::zero();
    for (unsigned k = i + 1; k < n; ++k) rest += g_at_one[k];
    for (unsigned x = 0; x <= degree; ++x) {
      if (x == 1) continue;
      Fp2 X = Fp2(Fp(x));
      Fp2 v = (prefix + mask.univariate(i, X)) * pow2(m);
      if (m >= 1) v += rest * pow2(m - 1);
      evals[x] += rho * v;
    }
  };
  hooks.bound = [&](unsigned i, Fp2 r) {
    prefix += mask.univariate(i, r);
    if (before_fold) before_fold(i);
  };
  Point point = sumcheck_prove(ch, tables, terms, degree, &hooks);
  return {point, mask.eval(point)};
}

ZkSumcheckClaim zk_sumcheck_verify(VerifierChannel& ch, Fp2 claim, unsigned num_vars,
                                   unsigned degree) {
  Fp2 G = ch.recv();
  Fp2 rho = ch.challenge("zk-sumcheck-rho");
  auto sc = sumcheck_verify(ch, claim + rho * G, num_vars, degree);
  return {sc.point, sc.value.value(), rho};
}

}  // namespace zk

#include "sumcheck/zk_sumcheck.h"

#include <cassert>

#include "field/backend.h"
#include "field/parallel.h"

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

namespace {

// The mask's part of each round: sends its hypercube sum, draws rho and
// returns hooks that add rho times the mask's round polynomial (known in
// closed form: with m = n - i - 1 free variables left,
// sum_{x>i} g(r<i, X, x>i) = 2^m (c + sum_{k<i} g_k(r_k) + g_i(X))
// + 2^(m-1) sum_{k>i} g_k(1)) and call before_fold.
struct MaskHooks {
  const SumcheckMask& mask;
  unsigned degree;
  Fp2 rho, prefix;
  std::vector<Fp2> g_at_one;
  RoundHooks hooks;

  MaskHooks(ProverChannel& ch, const SumcheckMask& m, unsigned deg,
            const std::function<void(unsigned)>& before_fold)
      : mask(m), degree(deg) {
    const unsigned n = mask.num_vars;
    ch.send(mask.hypercube_sum());
    rho = ch.challenge("zk-sumcheck-rho");
    g_at_one.resize(n);
    for (unsigned i = 0; i < n; ++i) g_at_one[i] = mask.univariate(i, Fp2::one());
    prefix = mask.constant;
    hooks.adjust = [this, n](unsigned i, std::vector<Fp2>& evals) {
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
    hooks.bound = [this, before_fold](unsigned i, Fp2 r) {
      prefix += mask.univariate(i, r);
      if (before_fold) before_fold(i);
    };
  }
};

}  // namespace

ZkSumcheckResult zk_sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                                   const std::vector<ProductTerm>& terms, unsigned degree,
                                   const SumcheckMask& mask,
                                   const std::function<void(unsigned)>& before_fold) {
  assert(degree >= mask.degree && mask.num_vars < 60);
  MaskHooks mh(ch, mask, degree, before_fold);
  Point point = sumcheck_prove(ch, tables, terms, degree, &mh.hooks);
  return {point, mask.eval(point)};
}

ZkSumcheckResult zk_sumcheck_prove_base(ProverChannel& ch, std::vector<Fp2>& a, std::vector<Fp>& v,
                                        std::vector<std::vector<Fp2>>& tables,
                                        const SumcheckMask& mask,
                                        const std::function<void(unsigned)>& before_fold) {
  assert(mask.degree <= 2 && mask.num_vars < 60 && a.size() == v.size());
  assert(mask.num_vars >= 1 && a.size() <= size_t{1} << mask.num_vars);
  MaskHooks mh(ch, mask, 2, before_fold);
  if (a.size() % 2) {  // the last pair's second entry is a zero
    a.push_back(Fp2::zero());
    v.push_back(Fp());
  }
  const size_t pairs = a.size() / 2;
  // Round 0 over the pairs: a in Fp2, v in Fp (two base products each).
  auto evals = backend::round_sums(pairs, 2, [&](size_t b, size_t e, std::vector<Fp2>& ev) {
    Fp2 e0, e2;
    for (size_t i = b; i < e; ++i) {
      Fp2 a0 = a[2 * i], a1 = a[2 * i + 1];
      Fp v0 = v[2 * i], v1 = v[2 * i + 1];
      e0 += a0 * v0;
      e2 += (a1 + a1 - a0) * (v1 + v1 - v0);
    }
    ev[0] += e0;
    ev[2] += e2;
  });
  mh.hooks.adjust(0, evals);
  ch.send_vals(std::vector<Fp2>{evals[0], evals[2]});
  Fp2 r = ch.challenge("sumcheck");
  mh.hooks.bound(0, r);
  // Both fold to Fp2 (v's products with r are base times extension).
  tables.assign(2, std::vector<Fp2>());
  parallel_chunks(2, 1, [&](size_t b, size_t e, unsigned) {
    for (size_t k = b; k < e; ++k) tables[k].resize(std::max<size_t>(pairs, 1));
  });
  parallel_chunks(pairs, size_t{1} << 12, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i) {
      tables[0][i] = a[2 * i] + r * (a[2 * i + 1] - a[2 * i]);
      tables[1][i] = Fp2(v[2 * i]) + r * (v[2 * i + 1] - v[2 * i]);
    }
  });
  std::vector<Fp2>().swap(a);
  std::vector<Fp>().swap(v);
  // The other rounds: their hooks see round i + 1.
  RoundHooks shifted;
  shifted.adjust = [&](unsigned i, std::vector<Fp2>& ev) { mh.hooks.adjust(i + 1, ev); };
  shifted.bound = [&](unsigned i, Fp2 x) { mh.hooks.bound(i + 1, x); };
  Point point{r};
  if (mask.num_vars > 1) {
    Point rest =
        sumcheck_prove_vars(ch, tables, mask.num_vars - 1, {{Fp2::one(), {0, 1}}}, 2, &shifted);
    point.insert(point.end(), rest.begin(), rest.end());
  }
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

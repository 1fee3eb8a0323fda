#include "sumcheck/sumcheck.h"

#include <cassert>

namespace zk {

Fp2 interpolate_at(const std::vector<Fp2>& evals, Fp2 x) {
  // Lagrange basis over the nodes 0..d.
  size_t n = evals.size();
  Fp2 result = Fp2::zero();
  for (size_t i = 0; i < n; ++i) {
    Fp2 num = Fp2::one();
    Fp den = Fp::one();
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      num *= x - Fp2(Fp(j));
      den *= Fp::from_int(static_cast<int64_t>(i) - static_cast<int64_t>(j));
    }
    result += evals[i] * num * den.inverse();
  }
  return result;
}

Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                     const std::vector<ProductTerm>& terms, unsigned degree) {
  assert(!tables.empty());
  size_t len = tables[0].size();
  for ([[maybe_unused]] auto& t : tables) assert(t.size() == len);
  unsigned n = log2_exact(len);
  Point point;
  std::vector<Fp2> evals(degree + 1);
  std::vector<Fp2> cur(tables.size() * (degree + 1));
  for (unsigned round = 0; round < n; ++round) {
    size_t half = len / 2;
    std::fill(evals.begin(), evals.end(), Fp2::zero());
    for (size_t i = 0; i < half; ++i) {
      for (size_t j = 0; j < tables.size(); ++j) {
        Fp2 lo = tables[j][2 * i], d = tables[j][2 * i + 1] - lo;
        Fp2* c = &cur[j * (degree + 1)];
        c[0] = lo;
        for (unsigned x = 1; x <= degree; ++x) c[x] = c[x - 1] + d;
      }
      for (const auto& term : terms) {
        for (unsigned x = 0; x <= degree; ++x) {
          if (x == 1) continue;
          Fp2 prod = term.coeff;
          for (int f : term.factors) prod *= cur[f * (degree + 1) + x];
          evals[x] += prod;
        }
      }
    }
    std::vector<Fp2> msg;
    msg.push_back(evals[0]);
    for (unsigned x = 2; x <= degree; ++x) msg.push_back(evals[x]);
    ch.send(msg);
    Fp2 r = ch.challenge("sumcheck");
    point.push_back(r);
    for (auto& t : tables) {
      for (size_t i = 0; i < half; ++i) t[i] = t[2 * i] + r * (t[2 * i + 1] - t[2 * i]);
      t.resize(half);
    }
    len = half;
  }
  return point;
}

SumcheckClaim sumcheck_verify(VerifierChannel& ch, Fp2 claim, unsigned num_vars,
                              unsigned degree) {
  SumcheckClaim out;
  for (unsigned round = 0; round < num_vars; ++round) {
    auto msg = ch.recv(degree);
    std::vector<Fp2> evals(degree + 1);
    evals[0] = msg[0];
    evals[1] = claim - msg[0];
    for (unsigned x = 2; x <= degree; ++x) evals[x] = msg[x - 1];
    Fp2 r = ch.challenge("sumcheck");
    claim = interpolate_at(evals, r);
    out.point.push_back(r);
  }
  out.value = claim;
  return out;
}

}  // namespace zk

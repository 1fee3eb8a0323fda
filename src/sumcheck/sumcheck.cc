#include "sumcheck/sumcheck.h"

#include <algorithm>
#include <cassert>

#include "field/parallel.h"

namespace zk {

std::vector<Fp2> lagrange_weights(size_t n, Fp2 x) {
  // Lagrange basis over the nodes 0..n-1.
  std::vector<Fp2> w(n);
  for (size_t i = 0; i < n; ++i) {
    Fp2 num = Fp2::one();
    Fp den = Fp::one();
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      num *= x - Fp2(Fp(j));
      den *= Fp::from_int(static_cast<int64_t>(i) - static_cast<int64_t>(j));
    }
    w[i] = num * den.inverse();
  }
  return w;
}

Fp2 interpolate_at(const std::vector<Fp2>& evals, Fp2 x) {
  auto w = lagrange_weights(evals.size(), x);
  Fp2 result = Fp2::zero();
  for (size_t i = 0; i < evals.size(); ++i) result += evals[i] * w[i];
  return result;
}

namespace {

// Round sums at X = 0..degree for pairs [begin, end) (X = 1 is skipped: implied).
void round_sums(const std::vector<std::vector<Fp2>>& tables, const std::vector<ProductTerm>& terms,
                unsigned degree, size_t begin, size_t end, std::vector<Fp2>& evals) {
  const size_t nt = tables.size(), stride = degree + 1;
  std::vector<Fp2> cur(nt * stride);
  std::vector<bool> unit(terms.size());
  for (size_t t = 0; t < terms.size(); ++t) unit[t] = terms[t].coeff == Fp2::one();
  // Fast path: a plain product of two tables (matrix products, batching).
  if (terms.size() == 1 && degree == 2 && terms[0].factors.size() == 2 && unit[0]) {
    const auto& A = tables[terms[0].factors[0]];
    const auto& B = tables[terms[0].factors[1]];
    Fp2 e0, e2;
    for (size_t i = begin; i < end; ++i) {
      Fp2 a0 = A[2 * i], a1 = A[2 * i + 1], b0 = B[2 * i], b1 = B[2 * i + 1];
      e0 += a0 * b0;
      e2 += (a1 + a1 - a0) * (b1 + b1 - b0);
    }
    evals[0] += e0;
    evals[2] += e2;
    return;
  }
  for (size_t i = begin; i < end; ++i) {
    for (size_t j = 0; j < nt; ++j) {
      Fp2 lo = tables[j][2 * i], d = tables[j][2 * i + 1] - lo;
      Fp2* c = &cur[j * stride];
      c[0] = lo;
      for (unsigned x = 1; x <= degree; ++x) c[x] = c[x - 1] + d;
    }
    for (size_t t = 0; t < terms.size(); ++t) {
      const auto& f = terms[t].factors;
      for (unsigned x = 0; x <= degree; ++x) {
        if (x == 1) continue;
        Fp2 prod = cur[f[0] * stride + x];
        for (size_t k = 1; k < f.size(); ++k) prod *= cur[f[k] * stride + x];
        evals[x] += unit[t] ? prod : prod * terms[t].coeff;
      }
    }
  }
}

}  // namespace

Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                     const std::vector<ProductTerm>& terms, unsigned degree,
                     const RoundHooks* hooks) {
  return sumcheck_prove(
      ch, tables,
      [&](const std::vector<std::vector<Fp2>>& t, size_t b, size_t e, std::vector<Fp2>& ev) {
        round_sums(t, terms, degree, b, e, ev);
      },
      degree, hooks);
}

Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables, const RoundFn& fn,
                     unsigned degree, const RoundHooks* hooks) {
  assert(!tables.empty());
  size_t len = tables[0].size();
  for ([[maybe_unused]] auto& t : tables) assert(t.size() == len);
  unsigned n = log2_exact(len);
  // Entries past `active` are zero in every table (padding): their pairs add
  // nothing to the round sums and fold to zero.
  size_t active = 0;
  for (const auto& t : tables) {
    size_t k = t.size();
    while (k > active && t[k - 1].is_zero()) --k;
    active = std::max(active, k);
  }
  Point point;
  std::vector<std::vector<Fp2>> spare(tables.size());
  for (unsigned round = 0; round < n; ++round) {
    size_t half = len / 2, pairs = std::min(half, (active + 1) / 2);
    std::vector<std::vector<Fp2>> partial(num_threads(), std::vector<Fp2>(degree + 1));
    parallel_chunks(pairs, size_t{1} << 12,
                    [&](size_t b, size_t e, unsigned k) { fn(tables, b, e, partial[k]); });
    std::vector<Fp2> evals(degree + 1);
    for (const auto& p : partial)
      for (unsigned x = 0; x <= degree; ++x) evals[x] += p[x];
    if (hooks) hooks->adjust(round, evals);
    std::vector<Fp2> msg;
    msg.push_back(evals[0]);
    for (unsigned x = 2; x <= degree; ++x) msg.push_back(evals[x]);
    ch.send_vals(msg);
    Fp2 r = ch.challenge("sumcheck");
    if (hooks) hooks->bound(round, r);
    point.push_back(r);
    for (size_t j = 0; j < tables.size(); ++j) {
      // Folding in place is only safe sequentially; threads write into a
      // second buffer, and the two are swapped (no allocation per round).
      auto& t = tables[j];
      auto& next = spare[j];
      if (next.size() < half) next.resize(half);
      parallel_chunks(pairs, size_t{1} << 13, [&](size_t b, size_t e, unsigned) {
        for (size_t i = b; i < e; ++i) next[i] = t[2 * i] + r * (t[2 * i + 1] - t[2 * i]);
      });
      // The next round reads at most one entry past the active ones.
      if (pairs < half) next[pairs] = Fp2::zero();
      next.resize(half);
      std::swap(t, next);
    }
    len = half;
    active = pairs;
  }
  return point;
}

SumcheckClaim sumcheck_verify(VerifierChannel& ch, Val claim, unsigned num_vars, unsigned degree) {
  SumcheckClaim out;
  for (unsigned round = 0; round < num_vars; ++round) {
    auto msg = ch.recv_vals(degree);
    std::vector<Val> evals(degree + 1);
    evals[0] = msg[0];
    evals[1] = claim - msg[0];
    for (unsigned x = 2; x <= degree; ++x) evals[x] = msg[x - 1];
    Fp2 r = ch.challenge("sumcheck");
    auto w = lagrange_weights(degree + 1, r);
    claim = Val();
    for (unsigned x = 0; x <= degree; ++x) claim += evals[x] * w[x];
    out.point.push_back(r);
  }
  out.value = claim;
  return out;
}

}  // namespace zk

#include "sumcheck/sumcheck.h"

#include <algorithm>
#include <cassert>

#include "field/backend.h"
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

Point prove_rounds(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables, unsigned n,
                   const RoundFn& fn, unsigned degree, const RoundHooks* hooks) {
  assert(!tables.empty());
  size_t len = tables[0].size();
  for ([[maybe_unused]] auto& t : tables) assert(t.size() == len);
  assert(n < 64 && len <= (size_t{1} << n));
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
    size_t half = size_t{1} << (n - round - 1), pairs = std::min(half, (active + 1) / 2);
    if (len < 2 * pairs) {  // the last pair reads one entry past the table
      for (auto& t : tables) t.resize(2 * pairs, Fp2::zero());
      len = 2 * pairs;
    }
    auto evals = backend::round_sums(
        pairs, degree, [&](size_t b, size_t e, std::vector<Fp2>& ev) { fn(tables, b, e, ev); });
    if (hooks) hooks->adjust(round, evals);
    std::vector<Fp2> msg;
    msg.push_back(evals[0]);
    for (unsigned x = 2; x <= degree; ++x) msg.push_back(evals[x]);
    ch.send_vals(msg);
    Fp2 r = ch.challenge("sumcheck");
    if (hooks) hooks->bound(round, r);
    point.push_back(r);
    // The folded tables keep the pairs and one zero after them (the next
    // round reads at most one entry past the active ones). Folding in place
    // is only safe sequentially; threads write into a second buffer, and the
    // two are swapped (no allocation per round but the first, whose buffers
    // are sized on several threads at once).
    const size_t keep = std::max<size_t>(1, std::min(half, pairs + 1));
    parallel_chunks(tables.size(), 1, [&](size_t b, size_t e, unsigned) {
      for (size_t j = b; j < e; ++j)
        if (spare[j].size() < keep) spare[j].resize(keep);
    });
    // All tables fold in one pass over the pairs (one parallel region).
    backend::fold_tables(tables, r, spare, pairs);
    for (size_t j = 0; j < tables.size(); ++j) {
      auto& next = spare[j];
      if (pairs < keep) next[pairs] = Fp2::zero();
      next.resize(keep);
      std::swap(tables[j], next);
    }
    len = keep;
    active = pairs;
  }
  return point;
}

}  // namespace

Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                     const std::vector<ProductTerm>& terms, unsigned degree,
                     const RoundHooks* hooks) {
  return sumcheck_prove_vars(ch, tables, log2_exact(tables[0].size()), terms, degree, hooks);
}

Point sumcheck_prove_vars(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                          unsigned num_vars, const std::vector<ProductTerm>& terms, unsigned degree,
                          const RoundHooks* hooks) {
  return prove_rounds(
      ch, tables, num_vars,
      [&](const std::vector<std::vector<Fp2>>& t, size_t b, size_t e, std::vector<Fp2>& ev) {
        backend::product_pair_sums(t, terms, degree, b, e, ev);
      },
      degree, hooks);
}

Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables, const RoundFn& fn,
                     unsigned degree, const RoundHooks* hooks) {
  return prove_rounds(ch, tables, log2_exact(tables[0].size()), fn, degree, hooks);
}

SumcheckClaim sumcheck_verify(VerifierChannel& ch, Val claim, unsigned num_vars, unsigned degree) {
  SumcheckClaim out;
  ch.note_sumcheck(num_vars, degree);
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

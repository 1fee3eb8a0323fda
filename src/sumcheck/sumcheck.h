// Generic sumcheck for sums of products of multilinear tables:
//   claim = sum_{x in {0,1}^n} sum_t coeff_t * prod_{j in factors_t} table_j(x).
// Variables are bound lowest first (variable 0 = least significant index bit),
// so the final point lines up with the little-endian MLE convention.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "field/backend.h"  // ProductTerm
#include "hash/channel.h"
#include "poly/mle.h"

namespace zk {

// Extra terms of the summand known in closed form (a masking polynomial):
// `adjust` adds their values at X = 0..degree to a round's values before they
// are sent (index 1 unused), `bound` learns each round's challenge.
struct RoundHooks {
  std::function<void(unsigned round, std::vector<Fp2>& evals)> adjust;
  std::function<void(unsigned round, Fp2 r)> bound;
};

// Proves the claim; on return every table has been folded to length 1 and
// tables[j][0] is table_j at the returned point. Each round sends the round
// polynomial's values at 0, 2, 3, ..., degree (its value at 1 is implied).
Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                     const std::vector<ProductTerm>& terms, unsigned degree,
                     const RoundHooks* hooks = nullptr);

// The same with a specialized round evaluator: fn(tables, begin, end, evals)
// adds, for the index pairs (2i, 2i+1) with begin <= i < end, the summand's
// values at X = 0, 2, 3, ..., degree into evals[X] (evals[1] is unused).
// Trailing entries that are zero in every table are skipped.
using RoundFn =
    std::function<void(const std::vector<std::vector<Fp2>>&, size_t, size_t, std::vector<Fp2>&)>;
Point sumcheck_prove(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables, const RoundFn& fn,
                     unsigned degree, const RoundHooks* hooks = nullptr);
// Over 2^num_vars entries of which the tables hold a prefix (all the same
// length, at most 2^num_vars; the rest zero). Tables shrink as they fold:
// after round i a table holds at least the entries that can be nonzero (a
// hook reading past its end reads a zero).
Point sumcheck_prove_vars(ProverChannel& ch, std::vector<std::vector<Fp2>>& tables,
                          unsigned num_vars, const std::vector<ProductTerm>& terms, unsigned degree,
                          const RoundHooks* hooks = nullptr);

// What a verified sumcheck leaves behind: the random point and the claimed
// value of the summand there, which the caller must discharge.
// In zero-knowledge mode the round messages are padded (hash/val.h) and the
// value is an expression over the pads.
struct SumcheckClaim {
  Point point;
  Val value;
};

[[nodiscard]] SumcheckClaim sumcheck_verify(VerifierChannel& ch, Val claim, unsigned num_vars,
                                            unsigned degree);

// Value at x of the polynomial of degree < evals.size() with evals[i] = p(i).
Fp2 interpolate_at(const std::vector<Fp2>& evals, Fp2 x);
// The Lagrange weights of the nodes 0..n-1 at x.
std::vector<Fp2> lagrange_weights(size_t n, Fp2 x);

}  // namespace zk

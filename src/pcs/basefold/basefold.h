// Basefold multilinear polynomial commitment over Goldilocks (Zeilberger,
// Chen and Fisch, "BaseFold: Efficient Field-Agnostic Polynomial Commitment
// Schemes from Foldable Codes", 2023), with the Reed-Solomon code as the
// foldable code: logarithmic-size openings.
//
// Commit: the 2^n values (evaluations on the hypercube, little-endian
// variables as in poly/mle.h) are turned into the multilinear polynomial's
// monomial coefficients c, read as the univariate p(X) = sum_i c_i X^i, and
// p is evaluated on the subgroup of size M = 2^(n + log_blowup) (an NTT).
// With arity a = 2^log_arity, Merkle leaf t (t < M/a) hashes the entries
// t + i M/a (i < a): the coset that the next log_arity folds map to one entry.
//
// Open (claims sum_c weights[c] * block_c at point_c): a sumcheck over
// f(x) * E(x), E the claims' combined eq tables, binds the variables lowest
// first; each round's challenge r also folds the codeword the FRI way,
// p'(x^2) = (p(x) + p(-x))/2 + r (p(x) - p(-x))/(2x), which fixes variable
// 0 of the multilinear polynomial to r. Every log_arity folds the folded
// codeword is Merkle-committed (a new oracle); after `folds` rounds the prover sends the folded
// polynomial's 2^final_vars hypercube values in the clear (the final
// message). The sumcheck goes on over those last variables; its final value
// must be f(r) E(r), with f(r) read from the final message. Then `queries`
// random leaves of the first codeword are followed down the folds: each
// opened leaf must hash to its oracle's root and hold the fold of the leaf
// above, and the last fold must match the final message's encoding.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "field/fp_store.h"
#include "hash/bytes.h"
#include "hash/channel.h"
#include "hash/merkle.h"
#include "pcs/pcs.h"

namespace zk::pcs {

struct BasefoldParams {
  unsigned num_vars = 0;
  unsigned log_blowup = 2;  // code length 2^(num_vars + log_blowup), rate 2^-log_blowup
  unsigned queries = 155;   // >= 105 bits per opening, unique decoding (basefold_query_bits)
  unsigned final_vars = 0;  // variables left when folding stops (the final message's)
  // Folds per committed oracle: a Merkle leaf holds the 2^log_arity entries
  // that fold into one entry of the next oracle.
  unsigned log_arity = 1;
  unsigned folds() const { return num_vars - final_vars; }
  size_t size() const { return size_t{1} << num_vars; }
  size_t code_len() const { return size_t{1} << (num_vars + log_blowup); }
  // Oracle 0 is the commitment; oracle j starts after j * log_arity folds.
  unsigned num_oracles() const { return folds() == 0 ? 1 : (folds() + log_arity - 1) / log_arity; }
  unsigned first_fold(unsigned j) const { return j * log_arity; }
  // Folds oracle j's leaves go through (fewer for the last one; 0 when
  // there are no folds: each leaf a single entry).
  unsigned oracle_folds(unsigned j) const { return std::min(log_arity, folds() - first_fold(j)); }
  size_t oracle_len(unsigned j) const { return code_len() >> first_fold(j); }
  size_t oracle_leaves(unsigned j) const { return oracle_len(j) >> oracle_folds(j); }
  bool operator==(const BasefoldParams&) const = default;
};

// The parameters with the smallest estimated opening for 2^num_vars values
// (rates 1/2 to 1/8, arities 2 to 16, final message up to 2^8 values),
// with queries for at
// least 105 bits and at least 100 bits for the whole opening up to 2^25
// values (the proximity-gap terms grow with the code length; the rate 1/2
// is kept beyond).
BasefoldParams basefold_params(unsigned num_vars);
// The same with the rate fixed (log_blowup 1 to 4).
BasefoldParams basefold_params(unsigned num_vars, unsigned log_blowup);

// Soundness (docs/SECURITY.md). Unique-decoding regime: a codeword at
// relative distance delta >= (1 - rate)/2 from the code passes a query with
// probability at most 1 - delta; bits of the query phase.
double basefold_query_bits(const BasefoldParams& p);
// All of one opening: the queries, the proximity gap of each random fold
// (Reed-Solomon in the unique-decoding radius, Ben-Sasson, Carmon, Ishai,
// Kopparty and Saraf 2020: the folded code's length / |F| per fold, about
// 2 code_len / |F| in all) and the degree-2
// sumcheck rounds (2 / |F| each), over the challenge field Fp2.
double basefold_security_bits(const BasefoldParams& p);
// Estimated opening size in bytes (the Merkle multi-proofs share about the
// top log2(queries) levels of each tree).
double basefold_estimated_bytes(const BasefoldParams& p);

struct BasefoldProverData {
  BasefoldParams params;
  std::vector<Fp> values;    // 2^n hypercube values
  std::vector<Fp> codeword;  // code_len evaluations, natural order
  MerkleTree tree;           // oracle_leaves(0) leaves
};

BasefoldProverData basefold_commit(std::vector<Fp> values, const BasefoldParams& p);
// A proving key keeps the tree (basefold_save) and, apart, the codeword;
// load checks their sizes and the codeword's entries (every fold reads them
// all, so they are copied in).
void basefold_save(ByteWriter& w, const BasefoldProverData& d);
BasefoldProverData basefold_load(ByteReader& r, const BasefoldParams& p, std::vector<Fp> values,
                                 const FpStore& codeword);

// Test hooks: each message of an opening, altered before it is sent (the
// prover then goes on honestly, its transcript in step with the verifier's).
// Oracle 0 is the commitment; `oracle` alters folded codeword i >= 1 before
// it is hashed (a prover committing to a wrong fold).
struct BasefoldHooks {
  std::function<void(unsigned round, std::vector<Fp2>& evals)> round;  // h(0), h(1), h(2)
  std::function<void(unsigned oracle, std::vector<Fp2>& codeword)> oracle;
  std::function<void(unsigned oracle, Digest& root)> root;
  std::function<void(std::vector<Fp2>& final_values)> final;
  std::function<void(unsigned oracle, size_t leaf, std::vector<Fp2>& values)> opened;
  std::function<void(unsigned oracle, std::vector<Digest>& siblings)> path;
};

// Proves sum_c weights[c] * claim_c's block at its point (claim values
// unused). The caller binds the commitment root in the transcript first.
void basefold_open(ProverChannel& ch, const BasefoldProverData& d,
                   const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                   const BasefoldHooks* hooks = nullptr);
// Checks it against `sum`; throws VerifyError (through ch) naming the check.
void basefold_verify(VerifierChannel& ch, const BasefoldParams& p, const Digest& root,
                     const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights,
                     Fp2 sum);

namespace basefold_detail {
// Monomial coefficients of the multilinear polynomial with these hypercube
// values (in place, the inverse of the subset-sum transform).
template <typename F>
void to_coefficients(std::vector<F>& v) {
  for (size_t bit = 1; bit < v.size(); bit <<= 1)
    for (size_t i = 0; i < v.size(); i += 2 * bit)
      for (size_t j = i; j < i + bit; ++j) v[j + bit] -= v[j];
}
// The Reed-Solomon codeword of these coefficients on the subgroup of size
// 2^log_len, as 2^log_len / |coeffs| coset NTTs run in parallel.
std::vector<Fp> encode(const std::vector<Fp>& coeffs, unsigned log_len);
// Leaf digests of a codeword with 2^log_arity entries per leaf: leaf t
// hashes entries t + i len/2^log_arity.
std::vector<Digest> leaf_digests(const std::vector<Fp>& cw, unsigned log_arity);
std::vector<Digest> leaf_digests(const std::vector<Fp2>& cw, unsigned log_arity);
// Oracle 0's leaves hold base-field values (their Fp2 embedding here).
Digest leaf_digest(std::span<const Fp2> leaf, bool base);
// One fold of the pair p(x), p(-x) with challenge r, given 1/(2x):
// (p(x) + p(-x))/2 + r (p(x) - p(-x))/(2x). Base-field pairs (the first fold
// of the commitment) take fewer multiplications.
inline constexpr Fp kInv2 = Fp(2).inverse();
inline Fp2 fold_pair(Fp2 a, Fp2 b, Fp2 r, Fp half_inv_x) {
  return (a + b) * kInv2 + r * ((a - b) * half_inv_x);
}
inline Fp2 fold_pair(Fp a, Fp b, Fp2 r, Fp half_inv_x) {
  return Fp2((a + b) * kInv2) + r * ((a - b) * half_inv_x);
}
}  // namespace basefold_detail

}  // namespace zk::pcs

// The compute-heavy loops of proving, behind one seam: eq tables, sumcheck
// round sums and folds, Reed-Solomon encoding of a matrix's rows and Merkle
// layers. The protocol (sumcheck, lookups, commitments, src/prover) does its
// bulk arithmetic only through these functions. The CPU implementation is
// field/backend_cpu.cc (and, since it needs SHA-256, merkle_layer in
// hash/merkle.cc), on the thread pool of field/parallel.h; a GPU or
// multi-process backend replaces those definitions without touching the
// protocol.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "field/goldilocks.h"

namespace zk {

// One term of a sumcheck summand: coeff * prod_{j in factors} table_j.
struct ProductTerm {
  Fp2 coeff;
  std::vector<int> factors;  // indices into the tables
};

namespace backend {

// scale * eq(r, x) for every x in {0,1}^|r|, into out (|out| = 2^|r|).
void eq_table(std::span<Fp2> out, std::span<const Fp2> r, Fp2 scale);

// One sumcheck fold binding the lowest variable to r:
// out[i] = in[2i] + r (in[2i+1] - in[2i]) for i < |out|.
void fold_pairs(std::span<const Fp2> in, Fp2 r, std::span<Fp2> out);
// fold_pairs of every table into out[j] (at least `pairs` long), pairs < `pairs`.
void fold_tables(const std::vector<std::vector<Fp2>>& in, Fp2 r, std::vector<std::vector<Fp2>>& out,
                 size_t pairs);

// One sumcheck round's values at X = 0..degree (X = 1 left zero): the sum
// over the index pairs (2i, 2i+1), i < pairs, of what fn(begin, end, evals)
// adds into evals for the pairs in [begin, end).
using PairSums = std::function<void(size_t begin, size_t end, std::vector<Fp2>& evals)>;
std::vector<Fp2> round_sums(size_t pairs, unsigned degree, const PairSums& fn);

// The pair sums of sum_t coeff_t prod_{j in factors_t} table_j for the pairs
// in [begin, end), added into evals (the generic summand of round_sums).
void product_pair_sums(const std::vector<std::vector<Fp2>>& tables,
                       const std::vector<ProductTerm>& terms, unsigned degree, size_t begin,
                       size_t end, std::vector<Fp2>& evals);

// Reed-Solomon encodes `rows` messages of msg_len coefficients into code_len
// evaluations each; message(i, buf) writes row i's coefficients into buf
// (zeroed, code_len long). Symbol j of row i goes to out[j * rows + i]
// (column-major, as the commitment hashes columns); all-zero rows are
// skipped (out must be zero there).
void rs_encode_rows(size_t rows, size_t msg_len, size_t code_len,
                    const std::function<void(size_t row, Fp* buf)>& message, Fp* out);

// acc[i] += x[i] (x in the base field or the extension).
void add(std::span<Fp2> acc, std::span<const Fp2> x);
void add(std::span<Fp2> acc, std::span<const Fp> x);
// out[i] = x[i] embedded in the extension.
void lift(std::span<const Fp> x, std::span<Fp2> out);

// One Merkle layer: parents[i] = SHA-256(children[2i] || children[2i+1]).
using Digest = std::array<uint8_t, 32>;
void merkle_layer(const Digest* children, Digest* parents, size_t count);

}  // namespace backend
}  // namespace zk

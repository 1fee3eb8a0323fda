// One interface for multilinear polynomial commitments (after Plonky3's
// MultilinearPcs trait). A scheme is a value holding its parameters, chosen
// once when it is made (the number of variables, hiding or not); it commits
// to 2^n base-field values, keeping prover data, and proves claims on aligned
// blocks of the committed vector with one batched opening that the verifier
// checks against the commitment root, both over the proof channel. Hiding
// schemes also open in zero knowledge at a point drawn after the commitment.
// The Ligero tensor code (pcs/ligero/) is one implementation.
#pragma once

#include <concepts>
#include <functional>
#include <span>
#include <vector>

#include "field/fp_store.h"
#include "hash/bytes.h"
#include "hash/channel.h"
#include "hash/random.h"
#include "poly/mle.h"

namespace zk::pcs {

// A claim that the committed block [offset, offset + 2^|point|) — a tensor
// laid out in the committed vector — has MLE value `value` at `point`.
struct BlockClaim {
  size_t offset = 0;  // multiple of 2^|point|
  Point point;
  Fp2 value;
};

template <typename S>
concept MultilinearPcs = requires(const S& s, std::vector<Fp> values, Prng* rng, ProverChannel& pch,
                                  ByteWriter& out, ByteReader& in, VerifierChannel& vch,
                                  const typename S::ProverData& data, const Digest& root,
                                  const std::vector<BlockClaim>& claims,
                                  const std::vector<Fp2>& weights, Fp2 sum, const Point& z) {
  { s.num_vars() } -> std::convertible_to<unsigned>;
  { s.hiding() } -> std::convertible_to<bool>;
  // Hiding schemes draw their randomness from rng (a fresh one when null).
  { s.commit(std::move(values), rng) } -> std::same_as<typename S::ProverData>;
  { S::root(data) } -> std::same_as<Digest>;
  // The scheme (parameters) the data was committed with.
  { S::of(data) } -> std::same_as<S>;
  // Prover data kept in a proving key, so proving need not commit again:
  // save writes what commit computed beyond the values and the bulk (the
  // encoded vector, bulk(data), bulk_size() elements), which a key stores
  // apart and maps from disk; load reads the rest back (checking every size
  // against the scheme, FormatError otherwise) and takes the committed
  // values and the bulk, which the key holds elsewhere.
  s.save(out, data);
  { S::bulk(data) } -> std::same_as<std::span<const Fp>>;
  { s.bulk_size() } -> std::convertible_to<size_t>;
  { s.load(in, std::move(values), FpStore()) } -> std::same_as<typename S::ProverData>;
  // Every claim (values known to both sides), combined at random.
  s.open(pch, data, claims);
  s.verify(vch, root, claims);
  // sum_c weights[c] * claim_c's block at its point = sum (claim values unused).
  s.open_weighted(pch, data, claims, weights);
  s.verify_weighted(vch, root, claims, weights, sum);
  // Hiding: the committed polynomial's value at z (|z| = num_vars, drawn
  // after the commitment), which the verifier holds as `sum`, revealing
  // nothing else.
  s.open_zk(pch, data, z);
  s.verify_zk(vch, root, z, sum);
};

// Coefficients of a masking polynomial kept inside a hiding commitment: the
// scheme lays them out in a block of its choosing (coefficient_block()
// entries at an aligned offset of the committed vector), and the form
// sum_i weights[i] * coefficient_i is opened beside an evaluation.
struct CoefficientForm {
  size_t offset = 0;         // where the block starts in the committed vector
  std::vector<Fp2> weights;  // one per coefficient
};

// Hiding schemes that hold a masking polynomial (MaskedPcs) or that many
// proofs open, each with a fresh mask commitment of its own (ReusablePcs).
template <typename S>
concept MaskedPcs = MultilinearPcs<S> &&
    requires(const S& s, std::span<Fp> block, std::span<const Fp2> coeffs, ProverChannel& pch,
             VerifierChannel& vch, const typename S::ProverData& data, const Digest& root,
             const Point& z, const CoefficientForm& form, Fp2 value,
             const std::function<unsigned(size_t)>& num_vars_for) {
  // The scheme for a vector whose size depends on the block's:
  // num_vars_for(block size) gives its variables; two zero-knowledge
  // evaluations. Parameters and block are chosen together, once.
  { S::masked(num_vars_for, 2u) } -> std::same_as<S>;
  { s.coefficient_block() } -> std::convertible_to<size_t>;
  s.write_coefficients(block, coeffs);
  // The value at z and the form's value, in zero knowledge.
  s.open_zk(pch, data, z, form);
  s.verify_zk(vch, root, z, value, form, value);
};

template <typename S>
concept ReusablePcs = MultilinearPcs<S> &&
    requires(const S& s, Prng& rng, ProverChannel& pch, VerifierChannel& vch,
             const typename S::ProverData& data, const Digest& root, const Point& z, Fp2 value) {
  { s.commit_masks(rng) } -> std::same_as<typename S::ProverData>;
  // The value at z, in zero knowledge, masked by this proof's mask commitment.
  s.open_zk(pch, data, data, z);
  s.verify_zk(vch, root, root, z, value);
};

}  // namespace zk::pcs

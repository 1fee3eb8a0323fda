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
#include <vector>

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
                                  VerifierChannel& vch, const typename S::ProverData& data,
                                  const Digest& root, const std::vector<BlockClaim>& claims,
                                  const std::vector<Fp2>& weights, Fp2 sum, const Point& z) {
  { s.num_vars() } -> std::convertible_to<unsigned>;
  { s.hiding() } -> std::convertible_to<bool>;
  // Hiding schemes draw their randomness from rng (a fresh one when null).
  { s.commit(std::move(values), rng) } -> std::same_as<typename S::ProverData>;
  { S::root(data) } -> std::same_as<Digest>;
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

}  // namespace zk::pcs

// Batching, for any multilinear commitment (pcs.h): every claim on one
// committed vector, combined with powers of a random rho (or with given
// weights), is reduced by one sumcheck to the vector's value at a single
// point z, where the scheme then opens it once.
#pragma once

#include <span>
#include <vector>

#include "pcs/pcs.h"

namespace zk::pcs {

// The combination weights of `count` claims: powers of a challenge.
std::vector<Fp2> batch_weights(ProverChannel& ch, size_t count);
std::vector<Fp2> batch_weights(VerifierChannel& ch, size_t count);

// Fails the channel unless every claim is an aligned block inside a vector
// of 2^num_vars entries (every scheme's verifier checks this first).
void check_claims(VerifierChannel& ch, unsigned num_vars, const std::vector<BlockClaim>& claims);

// Where the reduction leaves the claims: the committed vector's value at z
// (sent by the prover), for the scheme to open.
struct BatchPoint {
  Point z;
  Fp2 value;
};

// Prover: proves sum_c weights[c] * claim_c's block at its point over the
// committed `values` (claim values unused) and sends the value at z.
BatchPoint batch_reduce_prove(ProverChannel& ch, std::span<const Fp> values,
                              const std::vector<BlockClaim>& claims,
                              const std::vector<Fp2>& weights);
// Verifier: checks the claims lie inside a vector of 2^num_vars entries, the
// sumcheck from `sum`, and its final value against the value at z received.
BatchPoint batch_reduce_verify(VerifierChannel& ch, unsigned num_vars,
                               const std::vector<BlockClaim>& claims,
                               const std::vector<Fp2>& weights, Fp2 sum);

}  // namespace zk::pcs

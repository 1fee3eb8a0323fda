// LogUp lookups proven with a GKR fractional-sum circuit (Haboeck 2022;
// Papini-Haboeck 2023). A lookup "f_i in T" with multiplicities m_j holds iff
//   sum_i s_i / (alpha - f_i) = sum_j m_j / (alpha - t_j)
// for a random alpha (s_i is a 0/1 selector for the rows that are looked up).
// Each side is a fractional sum over 2^n leaves; the GKR layers reduce the
// root fraction to one claim on the leaf numerator and denominator MLEs at a
// random point, which the caller discharges. Nothing in extension field is
// committed: only the multiplicities.
#pragma once

#include <vector>

#include "hash/channel.h"
#include "poly/mle.h"

namespace zk::lookup {

// Values are known on the prover; on the verifier they are expressions over
// the pads in zero-knowledge mode (hash/val.h).
struct FractionRoot {
  Val p, q;  // the fractional sum is p / q
};

// Leaf claims left by the GKR reduction.
struct LeafClaim {
  FractionRoot root;
  Point point;
  Val p, q;  // numerator and denominator leaf MLEs at point
};

// Proves the fractional sum of p[i]/q[i] (|p| = |q| = 2^n). Sends the root.
LeafClaim fraction_sum_prove(ProverChannel& ch, std::vector<Fp2> p, std::vector<Fp2> q);
// Reads the root and verifies the layers; the caller checks the root and leaf claims.
[[nodiscard]] LeafClaim fraction_sum_verify(VerifierChannel& ch, unsigned num_vars);

}  // namespace zk::lookup

#include "proof/estimate.h"

#include <algorithm>
#include <cmath>

#include "prover/commitments.h"
#include "prover/soundness.h"

namespace zk::proof {

namespace {

// Bytes of one commitment's opening: the row combinations (Fp2 entries),
// the opened columns (with salts when hiding) and the Merkle multi-proof,
// which shares about the top log2(queries) levels.
double opening_bytes(const prover::ProofCommitment& pc) {
  const auto& p = pc.params;
  const double q = p.queries;
  const double levels = std::max(1.0, std::log2(static_cast<double>(p.code_len())) - std::log2(q));
  const double path = q * levels * 32.0;
  const double column = static_cast<double>(p.stored_rows()) * 8.0 + (p.salted() ? 32.0 : 0.0);
  if (pc.proximity == prover::Proximity::kShared) return q * column + path;
  const double combos = p.hiding() ? std::max(1u, p.eval_masks) : 2.0;
  return combos * static_cast<double>(p.message_len()) * 16.0 + q * column + path;
}

}  // namespace

Estimate estimate(const circuit::Circuit& c) {
  double weights = 0, witness = 0, weight_bytes = 0;
  for (const auto& t : c.tensors) {
    if (t.kind == circuit::TensorKind::kWeight) {
      weights += static_cast<double>(t.numel());  // committed in pieces, padding left out
      weight_bytes += static_cast<double>(t.padded_size()) * 4.0;  // at most 32-bit weights
    }
    if (t.kind == circuit::TensorKind::kWitness) witness += static_cast<double>(t.padded_size());
  }
  const double table_rows = static_cast<double>(c.tables.size()) * std::ldexp(1.0, c.table_bits);
  Estimate e;
  // Fitted to make bench-large (2 cores): a fixed part, each weight once in
  // the final argument, each witness value through its commitment, lookups
  // and sumchecks, and the tables' rows.
  const double in_process = 25.0 + 0.09e-3 * weights + 0.75e-3 * witness + 1.0e-3 * table_rows;
  e.prove_ms = 1.15 * in_process + 15.0;
  e.peak_bytes = 25e6 + 80.0 * weights + 260.0 * witness + 64.0 * table_rows;
  double proof = 4096.0 + 700.0 * static_cast<double>(c.nodes.size());
  double pk = 4096.0 + weight_bytes / 2.0;  // compact weights: about 16 bits each
  for (const auto& pc : prover::proof_commitments(c)) proof += opening_bytes(pc);
  // The key stores the weights' encoded matrix (and each row's random tail)
  // unless the weights are private (then they are in each proof's witness).
  if (c.weight_vis != circuit::Visibility::kPrivate) {
    const auto p = prover::weight_params(c);
    pk += static_cast<double>(p.code_len()) * (static_cast<double>(p.stored_rows()) * 8.0 + 64.0) +
          static_cast<double>(p.rows()) * p.mask_coeffs * 8.0;
  }
  e.proof_bytes = proof;
  e.pk_bytes = pk;
  // Committed weights add the hiding columns and masks to the encoding.
  e.setup_ms = c.weight_vis == circuit::Visibility::kCommitted ? 40.0 + 0.45e-3 * weights
                                                               : 25.0 + 0.28e-3 * weights;
  return e;
}

}  // namespace zk::proof

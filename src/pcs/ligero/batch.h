// Ligero's batched openings: every evaluation claim on one committed vector,
// reduced to one point by the generic batching (pcs/batch.h), then opened
// there once.
#pragma once

#include <string>
#include <vector>

#include "pcs/ligero/ligero.h"
#include "pcs/pcs.h"

namespace zk::pcs {

void batch_open_prove(ProverChannel& ch, const LigeroProverData& data,
                      const std::vector<BlockClaim>& claims);
void batch_open_verify(VerifierChannel& ch, const LigeroParams& params, const LigeroCommitment& c,
                       const std::vector<BlockClaim>& claims);

// The same with the combination given: proves sum_c weights[c] * claim_c's
// block at its point = sum (the claims' values are not used) and opens there.
void weighted_open_prove(ProverChannel& ch, const LigeroProverData& data,
                         const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights);
void weighted_open_verify(VerifierChannel& ch, const LigeroParams& params,
                          const LigeroCommitment& c, const std::vector<BlockClaim>& claims,
                          const std::vector<Fp2>& weights, Fp2 sum);

}  // namespace zk::pcs

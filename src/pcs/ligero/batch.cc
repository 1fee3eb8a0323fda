#include "pcs/ligero/batch.h"

#include "pcs/batch.h"

namespace zk::pcs {

void batch_open_prove(ProverChannel& ch, const LigeroProverData& data,
                      const std::vector<BlockClaim>& claims) {
  weighted_open_prove(ch, data, claims, batch_weights(ch, claims.size()));
}

void weighted_open_prove(ProverChannel& ch, const LigeroProverData& data,
                         const std::vector<BlockClaim>& claims, const std::vector<Fp2>& weights) {
  auto bp = batch_reduce_prove(ch, data.values, claims, weights);
  ligero_open(ch, data, bp.z);
}

void batch_open_verify(VerifierChannel& ch, const LigeroParams& params, const LigeroCommitment& c,
                       const std::vector<BlockClaim>& claims) {
  auto rho = batch_weights(ch, claims.size());
  Fp2 sum = Fp2::zero();
  for (size_t i = 0; i < claims.size(); ++i) sum += rho[i] * claims[i].value;
  weighted_open_verify(ch, params, c, claims, rho, sum);
}

void weighted_open_verify(VerifierChannel& ch, const LigeroParams& params,
                          const LigeroCommitment& c, const std::vector<BlockClaim>& claims,
                          const std::vector<Fp2>& weights, Fp2 sum) {
  auto bp = batch_reduce_verify(ch, params.num_vars(), claims, weights, sum);
  ligero_verify(ch, params, c, bp.z, bp.value);
}

}  // namespace zk::pcs

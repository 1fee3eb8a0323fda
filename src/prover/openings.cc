// Phase 5 without zero knowledge. Input: the claims on committed blocks
// (claims_). Output: one batched opening of the weight commitment and one of
// the witness commitment that prove them all.
#include "pcs/batch.h"
#include "prover/engine.h"

namespace zk::prover {

template <bool kProver>
void Engine<kProver>::plain_openings() {
  std::vector<pcs::BlockClaim> bc[2];
  std::vector<const ZkClaim*> weight_claims;
  bool pieces = false;  // a claim on a weight tensor committed in pieces
  for (const auto& cl : claims_) {
    bc[cl.terms[0].commit].push_back({cl.terms[0].offset, cl.point, cl.value.value()});
    if (cl.terms[0].commit != 1) continue;
    weight_claims.push_back(&cl);
    pieces |= cl.terms.size() > 1 || cl.terms[0].skip > 0;
  }
  ch_.section("weight opening");
  if (!pieces) {
    if constexpr (kProver) {
      Pcs::of(*p_.weights).open(ch_, *p_.weights, bc[1]);
    } else {
      wpcs_.verify(ch_, weight_root_, bc[1]);
    }
  } else {
    // One weighted sum: every term of every weight claim, the claims
    // combined with powers of a random rho.
    auto rho = pcs::batch_weights(ch_, weight_claims.size());
    std::vector<pcs::BlockClaim> blocks;
    std::vector<Fp2> weights;
    Fp2 sum = Fp2::zero();
    for (size_t k = 0; k < weight_claims.size(); ++k) {
      const ZkClaim& cl = *weight_claims[k];
      for (const auto& t : cl.terms) {
        blocks.push_back({t.offset, t.point_of(cl.point), Fp2::zero()});
        weights.push_back(rho[k] * t.coef);
      }
      sum += rho[k] * cl.value.value();
    }
    if constexpr (kProver) {
      Pcs::of(*p_.weights).open_weighted(ch_, *p_.weights, blocks, weights);
    } else {
      wpcs_.verify_weighted(ch_, weight_root_, blocks, weights, sum);
    }
  }
  ch_.section("witness opening");
  if constexpr (kProver) {
    xpcs_.open(ch_, witness_, bc[0]);
  } else {
    xpcs_.verify(ch_, witness_root_, bc[0]);
  }
}

template void Engine<true>::plain_openings();
template void Engine<false>::plain_openings();

}  // namespace zk::prover

// Phase 5 without zero knowledge. Input: the claims on committed blocks
// (claims_). Output: one batched opening of the weight commitment and one of
// the witness commitment that prove them all.
#include "pcs/batch.h"
#include "prover/engine.h"

namespace zk::prover {

template <bool kProver>
void Engine<kProver>::plain_openings() {
  std::vector<pcs::BlockClaim> witness_claims;
  std::vector<const ZkClaim*> weight_claims;
  for (const auto& cl : claims_) {
    if (cl.terms[0].commit == 1)
      weight_claims.push_back(&cl);
    else
      witness_claims.push_back({cl.terms[0].offset, cl.point, cl.value.value()});
  }
  // The weight claims combined with powers of a random rho, every term of
  // each (a tensor in pieces has one per piece) a weighted block: for
  // single-term claims this is the batched opening, byte for byte.
  ch_.section("weight opening");
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
  ch_.section("witness opening");
  if constexpr (kProver) {
    xpcs_.open(ch_, witness_, witness_claims);
  } else {
    xpcs_.verify(ch_, witness_root_, witness_claims);
  }
}

template void Engine<true>::plain_openings();
template void Engine<false>::plain_openings();

}  // namespace zk::prover

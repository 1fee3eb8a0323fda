// Phase 5 without zero knowledge. Input: the claims on committed blocks
// (claims_). Output: one batched opening of the weight commitment and one of
// the witness commitment that prove them all.
#include "prover/engine.h"

namespace zk::prover {

template <bool kProver>
void Engine<kProver>::plain_openings() {
  std::vector<pcs::BlockClaim> bc[2];
  for (const auto& cl : claims_)
    bc[cl.terms[0].commit].push_back({cl.terms[0].offset, cl.point, cl.value.value()});
  ch_.section("weight opening");
  if constexpr (kProver) {
    Pcs::of(*p_.weights).open(ch_, *p_.weights, bc[1]);
  } else {
    wpcs_.verify(ch_, weight_root_, bc[1]);
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

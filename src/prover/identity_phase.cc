// Phase 4, identities. Input: the circuit's nodes with committed outputs.
// Output: each op's identity (requantization, a hidden input's limbs)
// checked at a random point in its own proof section, and the claims it
// makes on its tensors resolved. The identities themselves live with their
// ops (OpDef::identity).
#include "prover/engine.h"

namespace zk::prover {

template <bool kProver>
void Engine<kProver>::identity_phase() {
  for (const auto& n : c_.nodes) {
    const OpDef& op = op_def(n.type);
    if (!op.has_identity()) continue;
    ch_.section(op.identity_section(c_, n));
    op.identity(*this, n);
  }
}

template void Engine<true>::identity_phase();
template void Engine<false>::identity_phase();

}  // namespace zk::prover

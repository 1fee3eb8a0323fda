// Phase 3, outputs. Input: the statement. Output: claims (resolved at once,
// or collected in claims_) binding each public output at a random point and
// each committed input or output to its own commitment.
#include "prover/engine.h"

namespace zk::prover {

// Public outputs, each at a random point.
template <bool kProver>
void Engine<kProver>::output_phase() {
  if (c_.output_vis != Visibility::kPublic) return;
  for (size_t i = 0; i < c_.outputs.size(); ++i) {
    int t = c_.outputs[i];
    ch_.section("output '" + c_.tensors[t].name + "'");
    Point r = challenge_point(c_.tensors[t].num_vars());
    Fp2 v = mle_eval_int(st_.outputs[i], r);
    resolve(t, r, v);
  }
}

// Committed tensors: the tensor and its own commitment agree at a random
// point.
template <bool kProver>
void Engine<kProver>::commitment_phase() {
  auto ts = committed_tensors(c_);
  for (size_t k = 0; k < ts.size(); ++k) {
    int t = ts[k];
    bool input = c_.tensors[t].kind == TensorKind::kInput;
    ch_.section(std::string(input ? "committed input '" : "committed output '") +
                c_.tensors[t].name + "'");
    Point r = challenge_point(c_.tensors[t].num_vars());
    Val v = claim(t, r);
    claims_.push_back({{{static_cast<int>(2 + k), 0, Fp2::one()}}, r, v});
    resolve(t, r, v);
  }
}

template void Engine<true>::output_phase();
template void Engine<false>::output_phase();
template void Engine<true>::commitment_phase();
template void Engine<false>::commitment_phase();

}  // namespace zk::prover

// Phase 4, identities. Input: the circuit's requantization and split nodes.
// Output: each identity checked at a random point, and the claims it makes
// on its tensors resolved. (To become a per-op hook.)
#include "prover/engine.h"

namespace zk::prover {

// Requantization identities (and a hidden input's limbs).
template <bool kProver>
void Engine<kProver>::requant_phase() {
  for (const auto& n : c_.nodes) {
    if (n.type == NodeType::kSplit) {
      ch_.section("input '" + c_.tensors[n.in[0]].name + "' (hidden; range check)");
      Point r = challenge_point(c_.tensors[n.in[0]].num_vars());
      Val xv = claim(n.in[0], r), lo = claim(n.out[0], r), hi = claim(n.out[1], r);
      check_eq(xv, lo + Fp2::from_int(int64_t{1} << c_.table_bits) * hi,
               "hidden input limbs do not add up");
      resolve(n.in[0], r, xv);
      resolve(n.out[0], r, lo);
      resolve(n.out[1], r, hi);
      continue;
    }
    if (n.type != NodeType::kRequant) continue;
    ch_.section("layer '" + n.layer + "' (requantize)");
    int y = n.out[0], q = n.out[1] >= 0 ? n.out[1] : y, rem = n.out[2], rem_hi = n.out[3];
    Point r = challenge_point(c_.tensors[y].num_vars());
    Val xv = claim(n.in[0], r), qv = claim(q, r);
    Val rv = rem >= 0 ? claim(rem, r) : Val();
    Val hv = rem_hi >= 0 ? claim(rem_hi, r) : Val();
    int64_t h = n.shift > 0 ? int64_t{1} << (n.shift - 1) : 0;
    check_eq(xv * Fp2::from_int(n.mult) + Fp2::from_int(h),
             qv * Fp2::from_int(int64_t{1} << n.shift) + rv +
                 hv * Fp2::from_int(int64_t{1}
                                    << std::max(0, n.shift - static_cast<int>(c_.table_bits))),
             "requantization identity failed");
    resolve(n.in[0], r, xv);
    resolve(q, r, qv);
    if (rem >= 0) resolve(rem, r, rv);
    if (rem_hi >= 0) resolve(rem_hi, r, hv);
  }
}

template void Engine<true>::requant_phase();
template void Engine<false>::requant_phase();

}  // namespace zk::prover

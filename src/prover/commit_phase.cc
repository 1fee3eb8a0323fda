// Phase 1, commitments. Input: the circuit, and on the prover the executed
// values. Output: the witness layout and parameters (xl_, xpcs_), the
// witness commitment (its root sent; on the prover the encoded data and the
// lookup multiplicities), in zero knowledge the announced shape, the pads and
// the weight masks' root, and the lookup challenges alpha_ and beta_.
#include "hash/random.h"
#include "prover/engine.h"

namespace zk::prover {

template <bool kProver>
void Engine<kProver>::commit_phase() {
  lookups_ = lookups_of(c_);
  ch_.section("witness commitment");
  if constexpr (kProver) {
    if (zk_) ch_.send_base(std::vector<Fp>{Fp(shape_.pads), Fp(shape_.products)});
  } else {
    if (zk_) {
      auto shp = ch_.recv_base(2);
      shape_ = {shp[0].v, shp[1].v};
      if (shape_.pads > kMaxZkCount || shape_.products > kMaxZkCount)
        ch_.fail("malformed proof: implausible number of pads");
    }
  }
  if (zk_) {
    xl_ = zk_witness_layout(c_, shape_, xpcs_);
  } else {
    xl_ = witness_layout(c_);
    xpcs_ = Pcs::plain(xl_.num_vars).for_used(xl_.used);
  }
  if constexpr (kProver) {
    count_multiplicities();
    auto packed = pack(xl_, *p_.values, &mults_);
    for (size_t t = 0; t < c_.tensors.size(); ++t)
      if (const auto* fv = p_.hooks->committed_values(static_cast<int>(t)))
        std::copy(fv->begin(), fv->end(), packed.begin() + xl_.offset[t]);
    Trace tr;
    if (zk_) fill_zk_blocks(packed);
    tr.mark("  (witness packed)");
    witness_ = xpcs_.commit(std::move(packed));
    tr.mark("  (witness encoded and hashed)");
    witness_root_ = Pcs::root(witness_);
    ch_.send(witness_root_);
    if (hidden_weights()) {  // fresh masks for this proof's weight opening
      Prng rng;
      weight_masks_ = Pcs::of(*p_.weights).commit_masks(rng);
      weight_mask_root_ = Pcs::root(weight_masks_);
      ch_.send(weight_mask_root_);
      tr.mark("  (weight masks committed)");
    }
    if (zk_) ch_.set_pads(pads_);
  } else {
    witness_root_ = ch_.recv_digest();
    if (hidden_weights()) weight_mask_root_ = ch_.recv_digest();
    if (zk_) ch_.set_padding(true);
  }
  alpha_ = ch_.challenge("lookup-alpha");
  beta_ = ch_.challenge("lookup-beta");
}

// Prover: how often each table row is looked up (valid positions only).
template <bool kProver>
void Engine<kProver>::count_multiplicities() {
  const int64_t half = int64_t{1} << (c_.table_bits - 1);
  mults_.assign(c_.tables.size(), std::vector<int64_t>(size_t{1} << c_.table_bits, 0));
  for (const auto& lk : lookups_) {
    auto in = expr_values(lk.in, c_.tensors[lk.domain]);
    const Tensor& dom = c_.tensors[lk.domain];
    Fp offset = c_.tables[lk.table].kind == TableKind::kRange ? Fp() : Fp::from_int(half);
    for (size_t i = 0; i < in.size(); ++i) {
      if (!is_valid_index(dom, i)) continue;
      uint64_t j = (in[i] + offset).v;  // the table row, if the value is in the table
      if (j >= (uint64_t{1} << c_.table_bits)) {
        if (!p_.hooks->self_checks()) continue;  // a deliberately cheating prover (tests)
        // The executor's range checks come first; this is a safety net. A
        // value of a hidden-dependent tensor stays out of the message.
        if (!hidden_dependent(c_)[lk.domain])
          throw RangeError("'" + lk.what + "': value " + std::to_string(in[i].to_int()) +
                           " is outside the lookup table");
        RangeError e("'" + lk.what +
                     "': a value is outside the lookup table (not shown: it "
                     "depends on hidden data; --debug shows it)");
        e.hidden_value = in[i].to_int();
        throw e;
      }
      ++mults_[lk.table][j];
    }
  }
  p_.hooks->on_multiplicities(mults_);
}

// Prover, zero knowledge: draws the pads, the product slots, the hiding
// entries and the final sumcheck's mask, and lays them out.
template <bool kProver>
void Engine<kProver>::fill_zk_blocks(std::vector<Fp>& packed) {
  Prng rng;
  auto at = [&](int b) { return packed.begin() + xl_.extra_offset[b]; };
  size_t total = shape_.pads + shape_.product_pads();
  if (total > shape_.pad_block()) throw std::logic_error("zero knowledge: pad block too small");
  pads_.resize(total);
  for (auto& pad : pads_) pad = rng.next_fp2();
  p_.hooks->on_pads(pads_);
  for (size_t i = 0; i < total; ++i) {
    at(kPadRe)[i] = pads_[i].a;
    at(kPadIm)[i] = pads_[i].b;
  }
  size_t sb = shape_.slot_block();
  slots_a_.resize(sb);
  slots_b_.resize(sb);
  slots_c_.resize(sb);
  for (size_t s = 0; s < sb; ++s) {
    if (s < pairs_.size()) {
      slots_a_[s] = pads_[pairs_[s].first];
      slots_b_[s] = pads_[pairs_[s].second];
    } else {  // spare slots: random, so A(rho) and B(rho) reveal nothing
      slots_a_[s] = rng.next_fp2();
      slots_b_[s] = rng.next_fp2();
    }
    slots_c_[s] = slots_a_[s] * slots_b_[s];
    at(kARe)[s] = slots_a_[s].a;
    at(kAIm)[s] = slots_a_[s].b;
    at(kBRe)[s] = slots_b_[s].a;
    at(kBIm)[s] = slots_b_[s].b;
    at(kCRe)[s] = slots_c_[s].a;
    at(kCIm)[s] = slots_c_[s].b;
  }
  for (size_t i = 0; i < kRandBlock; ++i) at(kRand)[i] = rng.next_fp();
  mask_ = SumcheckMask::random(virtual_vars().num_vars, 2, rng);
  write_mask(packed.data() + xl_.extra_offset[kMask]);
}

// The mask's coefficients (constant, then x_i and x_i^2 for each i), laid
// out in its block as the witness's scheme keeps them.
template <bool kProver>
void Engine<kProver>::write_mask(Fp* block) const {
  std::vector<Fp2> coeffs{mask_.constant};
  coeffs.insert(coeffs.end(), mask_.coeffs.begin(), mask_.coeffs.end());
  xpcs_.write_coefficients(std::span<Fp>(block, xpcs_.coefficient_block()), coeffs);
}

template void Engine<true>::commit_phase();
template void Engine<false>::commit_phase();

}  // namespace zk::prover

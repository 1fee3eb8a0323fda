// Phase 5 in zero knowledge. Input: the claims on committed blocks
// (claims_), the verifier's checks as constraints over the pads, and the
// pad products they take. Output: the product argument (C = A * B on the
// product slots) and one masked sumcheck over the random combination of
// every claim and constraint, ended by zero-knowledge openings of the
// witness, committed tensors and committed weights (docs/ZERO_KNOWLEDGE.md).
#include "field/backend.h"
#include "field/parallel.h"
#include "prover/engine.h"

namespace zk::prover {

namespace {

// The random combination of all constraints: sum_c gamma^c constraint_c,
// as eq-blocks and dense coefficients on the zero-knowledge blocks, equal to
// beta on the virtual vector.
struct Combined {
  struct Eq {
    int commit;     // 0: witness, 1: weights
    size_t offset;  // in that commitment
    Point point;
    Fp2 weight;
  };
  std::vector<Eq> eqs;
  std::vector<std::vector<Fp2>> coefs;  // per ZkBlock below kRand
  Fp2 beta;
};

Combined combine(Fp2 gamma, const ZkSystem& sys, const ZkShape& shape) {
  Combined out;
  out.coefs.assign(kRand, {});
  for (int b = 0; b < kRand; ++b)
    out.coefs[b].assign(b <= kPadIm ? shape.pad_block() : shape.slot_block(), Fp2::zero());
  const Fp2 u(Fp(), Fp::one());
  Fp2 g = Fp2::one();
  // A Val's pad terms (and pad products, through their slots) times k.
  std::map<std::pair<uint32_t, uint32_t>, size_t> slot;
  for (size_t i = 0; i < sys.pairs.size(); ++i) slot[sys.pairs[i]] = i;
  auto add_pads = [&](const Val& v, Fp2 k) {
    for (const auto& [i, a] : v.lin()) {
      out.coefs[kPadRe][i] += k * a;
      out.coefs[kPadIm][i] += k * a * u;
    }
    for (const auto& [i, j, a] : v.quad()) {
      size_t s = slot.at({i, j});
      out.coefs[kCRe][s] += k * a;
      out.coefs[kCIm][s] += k * a * u;
    }
  };
  for (const auto& cl : sys.claims) {  // sum coef * block(point) - value = 0
    for (const auto& t : cl.terms)
      out.eqs.push_back({t.commit, t.offset, t.point_of(cl.point), g * t.coef});
    add_pads(cl.value, -g);
    out.beta += g * cl.value.constant();
    g *= gamma;
  }
  for (const auto& c : sys.constraints) {  // diff = 0
    add_pads(c.diff, g);
    out.beta -= g * c.diff.constant();
    g *= gamma;
  }
  for (size_t s = 0; s < sys.pairs.size(); ++s) {  // A_s = pad_i, B_s = pad_j
    for (int side = 0; side < 2; ++side) {
      uint32_t pad = side == 0 ? sys.pairs[s].first : sys.pairs[s].second;
      int re = side == 0 ? kARe : kBRe;
      out.coefs[re][s] += g;
      out.coefs[re + 1][s] += g * u;
      out.coefs[kPadRe][pad] -= g;
      out.coefs[kPadIm][pad] -= g * u;
      g *= gamma;
    }
  }
  return out;
}

// The weights' part of the relation, sum_c weight_c W(point_c), when the
// weights are not hidden (they have their own commitment): proven by a plain
// batched opening of the weight commitment, its total sent.
struct WeightPart {
  std::vector<pcs::BlockClaim> claims;
  std::vector<Fp2> weights;
};
WeightPart weight_part(const Combined& cb, const VirtualLayout& vl) {
  WeightPart w;
  for (const auto& q : cb.eqs)
    if (q.commit == 1 && !vl.has_weights) {
      w.claims.push_back({q.offset, q.point, Fp2::zero()});
      w.weights.push_back(q.weight);
    }
  return w;
}

Point point_of(const Point& z, unsigned n) { return Point(z.begin(), z.begin() + n); }

// Entry i of a folded table that keeps only what can be nonzero.
Fp2 entry(const std::vector<Fp2>& t, size_t i) { return i < t.size() ? t[i] : Fp2::zero(); }

// The combined functional (each claim's eq table, the dense coefficients)
// into a, and the virtual vector (every hidden commitment at its offset;
// blocks may sit in the weights' zero tail, so it is their sum) into v.
void combined_tables(const Combined& cb, const VirtualLayout& vl, const Layout& xl,
                     const std::vector<const std::vector<Fp>*>& blocks, std::vector<Fp2>& a,
                     std::vector<Fp>& v) {
  // Each claim's eq table: written in place on a region nothing else
  // touched yet, added otherwise.
  std::vector<std::pair<size_t, size_t>> written;
  std::vector<Fp2> e;
  for (const auto& q : cb.eqs) {
    if (q.commit == 1 && !vl.has_weights) continue;
    size_t len = size_t{1} << q.point.size(), at = vl.offset[q.commit] + q.offset;
    if (at + len > a.size()) throw std::logic_error("zero knowledge: a claim past the vector");
    bool overlaps = false;
    for (const auto& [o, l] : written) overlaps |= o < at + len && at < o + l;
    if (!overlaps) {
      eq_table_into(std::span<Fp2>(a.data() + at, len), q.point, q.weight);
      written.emplace_back(at, len);
      continue;
    }
    e.assign(len, Fp2::zero());
    eq_table_into(e, q.point, q.weight);
    backend::add(std::span<Fp2>(a.data() + at, len), e);
  }
  for (int b = 0; b < kRand; ++b) {
    size_t region = vl.offset[0] + static_cast<size_t>(xl.extra_offset[b]);
    if (region + cb.coefs[b].size() > a.size())
      throw std::logic_error("zero knowledge: a block past the vector");
    backend::add(std::span<Fp2>(a.data() + region, cb.coefs[b].size()), cb.coefs[b]);
  }
  for (size_t id = 0; id < blocks.size(); ++id) {
    if (!blocks[id]) continue;
    // Up to the end of v: a commitment's values past it are zero.
    const size_t at = vl.offset[id];
    const size_t count = at < v.size() ? std::min(blocks[id]->size(), v.size() - at) : 0;
    Fp* to = v.data() + at;
    const Fp* from = blocks[id]->data();
    parallel_chunks(count, size_t{1} << 14, [&](size_t b, size_t e, unsigned) {
      for (size_t i = b; i < e; ++i) to[i] += from[i];
    });
  }
}

}  // namespace

// The pad products C = A * B (A, B copies of pads) by a zero-check over the
// slots, its messages padded too; A(rho) and B(rho) are revealed (spare
// random slots hide them).
template <bool kProver>
void Engine<kProver>::product_phase() {
  ch_.section("zero-knowledge pad products");
  if constexpr (!kProver) {
    if (ch_.pads_used() != shape_.pads)
      ch_.fail("proof announces " + std::to_string(shape_.pads) + " pads, the protocol used " +
               std::to_string(ch_.pads_used()));
    pairs_ = product_pairs(ch_.constraints());
    if (pairs_.size() != shape_.products)
      ch_.fail("proof announces " + std::to_string(shape_.products) +
               " pad products, the checks need " + std::to_string(pairs_.size()));
  }
  const unsigned lj = shape_.slot_vars();
  Point tau = challenge_point(lj);
  Point rho;
  Val cv;
  Fp2 av, bv;
  if constexpr (kProver) {
    std::vector<std::vector<Fp2>> t{eq_table(tau), slots_c_, slots_a_, slots_b_};
    rho = sumcheck_prove(ch_, t, {{Fp2::one(), {0, 1}}, {-Fp2::one(), {0, 2, 3}}}, 3);
    cv = exchange(t[1][0]);
    av = t[2][0];
    bv = t[3][0];
    ch_.send(std::vector<Fp2>{av, bv});
  } else {
    auto sc = sumcheck_verify(ch_, Fp2::zero(), lj, 3);
    rho = sc.point;
    cv = ch_.recv_val();
    auto ab = ch_.recv(2);
    av = ab[0];
    bv = ab[1];
    ch_.expect_eq(sc.value, eq_eval(tau, rho) * (cv - av * bv),
                  "pad products: sumcheck final check failed");
  }
  const Fp2 u(Fp(), Fp::one());
  auto slot_claim = [&](int re, Val v) {
    claims_.push_back({{{0, static_cast<size_t>(xl_.extra_offset[re]), Fp2::one()},
                        {0, static_cast<size_t>(xl_.extra_offset[re + 1]), u}},
                       rho,
                       std::move(v)});
  };
  slot_claim(kCRe, cv);
  slot_claim(kARe, av);
  slot_claim(kBRe, bv);
  if constexpr (!kProver) {
    if (ch_.pads_used() != shape_.pads + shape_.product_pads())
      ch_.fail("pad products: wrong number of pads");
    system_.claims = claims_;
    system_.constraints = ch_.constraints();
    system_.pairs = pairs_;
  }
}

// Every claim and check, combined at random, is one linear relation on the
// committed vectors, proven by a masked sumcheck and zero-knowledge openings.
template <bool kProver>
void Engine<kProver>::final_phase() {
  ch_.set_padding(false);
  ch_.section("zero-knowledge constraints");
  const VirtualLayout vl = virtual_vars();
  Fp2 gamma = ch_.challenge("zk-gamma");
  if constexpr (kProver)
    final_prove(vl, gamma);
  else
    final_verify(vl, gamma);
}

template <bool kProver>
void Engine<kProver>::final_prove(const VirtualLayout& vl, Fp2 gamma) {
  const size_t ntc = vl.vars.size() - 2;  // committed tensors
  const auto* weights = p_.weights;
  // Committed tensors' commitments (none when ntc is 0; may be null then).
  const Pcs::ProverData* tcs = ntc ? p_.tensor_commitments->data() : nullptr;
  // The constraint system, exactly as the verifier will see it: run the
  // verifier over this proof so far.
  VerifierChannel vch(p_.statement->clone(), ch_.bytes());
  Engine<false> ver(vch, c_, st_, weight_root_);
  Trace tr;
  ver.run(Engine<false>::Stop::kBeforeFinal);
  tr.mark("  (verifier run for the constraints)");
  Combined cb = combine(gamma, ver.system(), shape_);
  auto wp = weight_part(cb, vl);
  Fp2 beta_w = Fp2::zero();
  for (size_t i = 0; i < wp.claims.size(); ++i) {
    size_t len = size_t{1} << wp.claims[i].point.size();
    beta_w += wp.weights[i] *
              mle_eval(std::span<const Fp>(weights->values.data() + wp.claims[i].offset, len),
                       wp.claims[i].point);
  }
  if (!wp.claims.empty()) ch_.send(beta_w);
  // The combined functional a (Fp2) and the virtual vector v (base field:
  // the sumcheck's first round multiplies and folds it as such), zeroed (and
  // their pages touched) on two threads, up to the end of the last block
  // that holds anything (the rest of the 2^num_vars entries are zero).
  size_t N = 0;
  for (size_t b = 0; b < vl.vars.size(); ++b) {
    if (b == 1 && !vl.has_weights) continue;
    size_t len = b == 0 ? xl_.used : b == 1 ? wl_.used : size_t{1} << vl.vars[b];
    N = std::max(N, vl.offset[b] + len);
  }
  N = std::min(N, size_t{1} << vl.num_vars);
  std::vector<Fp2> a;
  std::vector<Fp> v;
  parallel_chunks(2, 1, [&](size_t b, size_t e, unsigned) {
    for (size_t k = b; k < e; ++k) k == 0 ? a.assign(N, Fp2::zero()) : v.assign(N, Fp());
  });
  std::vector<const std::vector<Fp>*> blocks{&witness_.values,
                                             vl.has_weights ? &weights->values : nullptr};
  for (size_t k = 0; k < ntc; ++k) blocks.push_back(&tcs[k].values);
  combined_tables(cb, vl, xl_, blocks, a, v);
  tr.mark("  (combined functional)");
  // Each block's MLE at the point, read off the folded vector once its
  // variables are bound (block b of 2^n entries at offset o: entry o >> n
  // after n rounds; before the first fold, v itself).
  std::vector<Fp2> at(vl.vars.size());
  std::vector<std::vector<Fp2>> t;  // {a, v} after the first round
  auto capture = [&](unsigned round) {
    for (size_t b = 0; b < vl.vars.size(); ++b)
      if ((b != 1 || vl.has_weights) && vl.vars[b] == round)
        at[b] = round == 0 ? Fp2(v[vl.offset[b]]) : entry(t[1], vl.offset[b] >> round);
  };
  auto res = zk_sumcheck_prove_base(ch_, a, v, t, mask_, capture);
  capture(vl.num_vars);  // blocks as large as the whole vector: fully folded
  tr.mark("  (masked sumcheck)");
  const Point& z = res.point;
  // The weights' range also holds the blocks placed in its tail.
  if (vl.has_weights)
    for (size_t b = 0; b < vl.vars.size(); ++b) {
      if (b == 1 || vl.offset[b] >= (size_t{1} << vl.vars[1])) continue;
      unsigned n = vl.vars[b];
      at[1] -= eq_at_index(std::span<const Fp2>(z.data() + n, vl.vars[1] - n), vl.offset[b] >> n) *
               at[b];
    }
  std::vector<Fp2> ys{at[0], res.mask_value};
  for (size_t k = 0; k < ntc; ++k) ys.push_back(at[2 + k]);
  if (vl.has_weights) ys.push_back(at[1]);
  ch_.send(ys);
  ch_.section("witness opening");
  xpcs_.open_zk(ch_, witness_, point_of(z, xl_.num_vars), mask_form(z));
  tr.mark("  (witness opening)");
  for (size_t k = 0; k < ntc; ++k) {
    ch_.section("tensor commitment opening");
    Pcs::of(tcs[k]).open_zk(ch_, tcs[k], point_of(z, vl.vars[2 + k]));
  }
  const Pcs wpcs = Pcs::of(*weights);
  if (!wp.claims.empty()) {
    ch_.section("weight opening");
    wpcs.open_weighted(ch_, *weights, wp.claims, wp.weights);
  }
  if (vl.has_weights) {
    ch_.section("weight opening");
    wpcs.open_zk(ch_, *weights, weight_masks_, point_of(z, vl.vars[1]));
  }
}

template <bool kProver>
void Engine<kProver>::final_verify(const VirtualLayout& vl, Fp2 gamma) {
  const size_t ntc = vl.vars.size() - 2;  // committed tensors
  Combined cb = combine(gamma, system_, shape_);
  auto wp = weight_part(cb, vl);
  Fp2 beta_w = wp.claims.empty() ? Fp2::zero() : ch_.recv();
  auto sc = zk_sumcheck_verify(ch_, cb.beta - beta_w, vl.num_vars, 2);
  const Point& z = sc.point;
  auto ys = ch_.recv(2 + ntc + (vl.has_weights ? 1 : 0));
  // The combined functional and the virtual vector at z.
  Fp2 az = Fp2::zero();
  for (const auto& q : cb.eqs)
    if (q.commit != 1 || vl.has_weights)
      az += q.weight * eq_block_at(vl.offset[q.commit] + q.offset, q.point, z);
  for (int b = 0; b < kRand; ++b) {
    unsigned s = log2_exact(cb.coefs[b].size());
    size_t region = vl.offset[0] + static_cast<size_t>(xl_.extra_offset[b]);
    az += mle_eval(std::span<const Fp2>(cb.coefs[b]), point_of(z, s)) * block_weight(region, s, z);
  }
  Fp2 vz = block_weight(vl.offset[0], vl.vars[0], z) * ys[0];
  for (size_t k = 0; k < ntc; ++k)
    vz += block_weight(vl.offset[2 + k], vl.vars[2 + k], z) * ys[2 + k];
  if (vl.has_weights) vz += block_weight(vl.offset[1], vl.vars[1], z) * ys[2 + ntc];
  ch_.expect(sc.combined == az * vz + sc.rho * ys[1],
             "final check of the constraint sumcheck failed");
  ch_.section("witness opening");
  xpcs_.verify_zk(ch_, witness_root_, point_of(z, xl_.num_vars), ys[0], mask_form(z), ys[1]);
  for (size_t k = 0; k < ntc; ++k) {
    ch_.section("tensor commitment opening");
    tensor_pcs(c_.tensors[committed_tensors(c_)[k]])
        .verify_zk(ch_, st_.commitments[k], point_of(z, vl.vars[2 + k]), ys[2 + k]);
  }
  const Pcs& wpcs = wpcs_;
  if (!wp.claims.empty()) {
    ch_.section("weight opening");
    wpcs.verify_weighted(ch_, weight_root_, wp.claims, wp.weights, beta_w);
  }
  if (vl.has_weights) {
    ch_.section("weight opening");
    wpcs.verify_zk(ch_, weight_root_, weight_mask_root_, point_of(z, vl.vars[1]), ys[2 + ntc]);
  }
}

// The mask polynomial's value at z as a form on its coefficients (constant,
// then x_i and x_i^2 for each i), opened beside the witness's value at z.
template <bool kProver>
pcs::CoefficientForm Engine<kProver>::mask_form(const Point& z) const {
  pcs::CoefficientForm f{static_cast<size_t>(xl_.extra_offset[kMask]), {Fp2::one()}};
  for (const auto& zi : z) {
    f.weights.push_back(zi);
    f.weights.push_back(zi * zi);
  }
  return f;
}

template void Engine<true>::product_phase();
template void Engine<false>::product_phase();
template void Engine<true>::final_phase();
template void Engine<false>::final_phase();

}  // namespace zk::prover

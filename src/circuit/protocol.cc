#include "circuit/protocol.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <type_traits>

#include "circuit/ops/op.h"
#include "field/parallel.h"
#include "hash/random.h"
#include "lookup/logup.h"
#include "pcs/batch.h"
#include "sumcheck/sumcheck.h"
#include "sumcheck/zk_sumcheck.h"

namespace zk::circuit {

namespace {

Layout make_layout(const Circuit& c, TensorKind kind, bool with_tables,
                   const std::vector<size_t>& extra = {}) {
  Layout l;
  l.offset.assign(c.tensors.size(), -1);
  struct Block {
    size_t size;
    int id;  // tensor id, -(table + 1), or kExtra + index
  };
  constexpr int kExtra = 1 << 30;
  std::vector<Block> blocks;
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    const auto& tt = c.tensors[t];
    bool in = tt.kind == kind;
    if (kind == TensorKind::kWitness) {
      in |= tt.kind == TensorKind::kInput && c.input_vis != Visibility::kPublic;
      in |= tt.kind == TensorKind::kWeight && c.weight_vis == Visibility::kPrivate;
    } else if (kind == TensorKind::kWeight && c.weight_vis == Visibility::kPrivate) {
      in = false;
    }
    if (in) blocks.push_back({tt.padded_size(), static_cast<int>(t)});
  }
  if (with_tables)
    for (size_t i = 0; i < c.tables.size(); ++i)
      blocks.push_back({size_t{1} << c.table_bits, -static_cast<int>(i) - 1});
  for (size_t i = 0; i < extra.size(); ++i)
    blocks.push_back({extra[i], kExtra + static_cast<int>(i)});
  l.table_offset.assign(c.tables.size(), -1);
  l.extra_offset.assign(extra.size(), -1);
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const Block& a, const Block& b) { return a.size > b.size; });
  size_t off = 0;
  for (const auto& b : blocks) {
    if (b.id >= kExtra)
      l.extra_offset[b.id - kExtra] = static_cast<int64_t>(off);
    else if (b.id >= 0)
      l.offset[b.id] = static_cast<int64_t>(off);
    else
      l.table_offset[-b.id - 1] = static_cast<int64_t>(off);
    off += b.size;
  }
  l.used = off;
  l.num_vars = std::max(1u, log2_exact(std::max<size_t>(off, 2)));
  return l;
}

std::vector<Fp> pack(const Layout& l, const Values& values,
                     const std::vector<std::vector<int64_t>>* mults = nullptr) {
  std::vector<Fp> out(size_t{1} << l.num_vars);
  for (size_t t = 0; t < l.offset.size(); ++t) {
    if (l.offset[t] < 0) continue;
    const auto& v = values[t];
    for (size_t i = 0; i < v.size(); ++i) out[l.offset[t] + i] = Fp::from_int(v[i]);
  }
  if (mults)
    for (size_t i = 0; i < mults->size(); ++i)
      for (size_t j = 0; j < (*mults)[i].size(); ++j)
        out[l.table_offset[i] + j] = Fp::from_int((*mults)[i][j]);
  return out;
}

Fp2 selector_eval(const Tensor& t, const Point& r) {
  Fp2 acc = Fp2::one();
  for (size_t d = 0; d < t.dims.size(); ++d)
    acc *= prefix_indicator(slice(r, t.var_offset(d), t.log_dims[d]), t.dims[d]);
  return acc;
}

std::vector<Fp> table_column(const Circuit& c, const Table& t, bool out) {
  size_t n = size_t{1} << c.table_bits;
  std::vector<Fp> v(n);
  for (size_t j = 0; j < n; ++j)
    v[j] = Fp::from_int(out ? t.out_value(j, c.table_bits) : t.in_value(j, c.table_bits));
  return v;
}

// Phase timings on stderr when ZK_TRACE is set (for profiling; off by default).
class Trace {
 public:
  Trace() : on_(std::getenv("ZK_TRACE") != nullptr), t_(std::chrono::steady_clock::now()) {}
  void mark(const char* what) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "  %-45s %8.2f ms\n", what,
                 std::chrono::duration<double, std::milli>(now - t_).count());
    t_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point t_;
};

// The zero-knowledge blocks of the witness commitment (Layout::extra_offset).
enum ZkBlock : int {
  kPadRe,
  kPadIm,  // one-time pads of the prover's messages (real, u parts)
  kARe,
  kAIm,
  kBRe,
  kBIm,
  kCRe,
  kCIm,   // product slots: C = A * B, A and B copies of pads
  kRand,  // random entries that hide the commitment's evaluation
  kMask,  // the final sumcheck's masking polynomial: real part, then u part a row below
  kNumZkBlocks
};
constexpr size_t kRandBlock = 4;

size_t next_pow2(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

// A committed tensor's own commitment: the tensor, then random entries that
// hide its evaluations; at least 2^10 entries so the hiding code has room.
unsigned tensor_commit_vars(const Tensor& t) { return std::max(t.num_vars() + 1, 10u); }
pcs::LigeroParams tensor_commit_params(const Tensor& t) {
  return pcs::choose_params(tensor_commit_vars(t), true, 1, 9);
}

// The sizes a zero-knowledge proof announces: pads used and pad products.
struct ZkShape {
  uint64_t pads = 0, products = 0;
  size_t pad_block() const { return std::max<size_t>(2, next_pow2(pads + product_pads())); }
  size_t slot_block() const { return std::max<size_t>(2, next_pow2(products + 1)); }
  unsigned slot_vars() const { return log2_exact(slot_block()); }
  // Pads the product argument itself uses: its sumcheck rounds and C(rho).
  uint64_t product_pads() const { return 3 * uint64_t{slot_vars()} + 1; }
};
constexpr uint64_t kMaxZkCount = uint64_t{1} << 26;

std::vector<size_t> zk_block_sizes(const ZkShape& z, size_t cols) {
  size_t pb = z.pad_block(), sb = z.slot_block();
  return {pb, pb, sb, sb, sb, sb, sb, sb, kRandBlock, 2 * cols};
}

// The witness layout and commitment parameters of a zero-knowledge proof:
// the mask block must be two whole rows, so the row width and the layout are
// found together.
Layout zk_witness_layout(const Circuit& c, const ZkShape& z, pcs::LigeroParams& params) {
  size_t cols = 64;
  for (int it = 0; it < 8; ++it) {
    Layout l = make_layout(c, TensorKind::kWitness, true, zk_block_sizes(z, cols));
    params = pcs::choose_params(l.num_vars, true, 2, 6);
    if (params.cols() == cols) return l;
    cols = params.cols();
  }
  Layout l = make_layout(c, TensorKind::kWitness, true, zk_block_sizes(z, cols));
  unsigned lc = log2_exact(cols);
  params = pcs::choose_params(l.num_vars, true, 2, lc, lc);
  if (!params.hiding() || params.num_vars() != l.num_vars)
    throw std::logic_error("zero knowledge: no commitment parameters for the witness");
  return l;
}

// A claim that sum_k coef_k * block_k(point) = value, each block a region of
// commitment `commit` (0: witness, 1: weights) with 2^|point| entries.
struct BlockTerm {
  int commit = 0;
  size_t offset = 0;
  Fp2 coef = Fp2::one();
};
struct ZkClaim {
  std::vector<BlockTerm> terms;
  Point point;
  Val value;
};

// Everything the final zero-knowledge argument proves: claims on committed
// blocks and the verifier's checks, as constraints over the pads.
struct ZkSystem {
  std::vector<ZkClaim> claims;
  std::vector<Constraint> constraints;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // pad products, in slot order
};

// The slot of each pad product, in order of first appearance.
std::vector<std::pair<uint32_t, uint32_t>> product_pairs(const std::vector<Constraint>& cs) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  std::map<std::pair<uint32_t, uint32_t>, size_t> seen;
  for (const auto& c : cs)
    for (const auto& [i, j, k] : c.diff.quad())
      if (seen.emplace(std::make_pair(i, j), out.size()).second) out.push_back({i, j});
  return out;
}

// The hidden commitments the final masked sumcheck runs over, as one
// virtual vector: the witness (commit 0), committed weights (commit 1) and
// each committed tensor (commit 2 + k), aligned blocks, the larger first.
struct VirtualLayout {
  unsigned num_vars = 0;
  std::vector<size_t> offset;  // per commit id (1: hidden weights, if has_weights)
  std::vector<unsigned> vars;
  bool has_weights = false;
};
VirtualLayout virtual_layout(unsigned witness_vars, const std::vector<unsigned>& tensor_vars,
                             unsigned weight_vars, size_t weight_used) {
  VirtualLayout v;
  v.vars = {witness_vars, weight_vars};
  v.vars.insert(v.vars.end(), tensor_vars.begin(), tensor_vars.end());
  v.offset.assign(v.vars.size(), 0);
  v.has_weights = weight_vars > 0;
  std::vector<size_t> order{0};
  for (size_t k = 0; k < tensor_vars.size(); ++k) order.push_back(2 + k);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return v.vars[a] > v.vars[b]; });
  // Hidden weights first; the other blocks go into the zero tail of their
  // block where they fit (aligned), so the vector is often no larger than the
  // weights'. The sum is what the sumcheck sees; its value at z is the sum of
  // the blocks' values, and a weight tail that is not zero only shifts the
  // witness the proof is about (docs/ZERO_KNOWLEDGE.md).
  size_t cap = 0, free = 0, end = 0;
  if (v.has_weights) {
    cap = size_t{1} << weight_vars;
    free = weight_used;
    end = cap;
  }
  for (size_t id : order) {
    size_t size = size_t{1} << v.vars[id];
    size_t at = (free + size - 1) / size * size;
    if (at + size <= cap) {
      v.offset[id] = at;
      free = at + size;
      continue;
    }
    v.offset[id] = (end + size - 1) / size * size;
    end = v.offset[id] + size;
  }
  v.num_vars = log2_exact(next_pow2(std::max<size_t>(end, 2)));
  return v;
}

// The weight at z of an aligned block of 2^s entries at `offset`: its MLE at
// z is this times the block's own MLE at z's low s coordinates.
Fp2 block_weight(size_t offset, unsigned s, const Point& z) {
  return eq_at_index(std::span<const Fp2>(z.data() + s, z.size() - s), offset >> s);
}

// eq(z, .) restricted to the aligned block [offset, offset + 2^|p|), at the
// block's point p: the value at z of the MLE that is eq(p, .) on the block.
Fp2 eq_block_at(size_t offset, const Point& p, const Point& z) {
  size_t k = p.size();
  Fp2 e = eq_eval(p, std::span<const Fp2>(z.data(), k));
  return e * eq_at_index(std::span<const Fp2>(z.data() + k, z.size() - k), offset >> k);
}

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
    for (const auto& t : cl.terms) out.eqs.push_back({t.commit, t.offset, cl.point, g * t.coef});
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

template <bool kProver>
class Engine final : public ReduceContext {
 public:
  using Channel = std::conditional_t<kProver, ProverChannel, VerifierChannel>;

  Engine(Channel& ch, const Circuit& c, const Statement& st, const Values* values)
      : ch_(ch), c_(c), st_(st), v_(values), zk_(zero_knowledge(c)), wl_(weight_layout(c)) {}

  // Runs the protocol. With `stop` set (verifier only), stops before the
  // final argument: at the pads (plan) or after the product argument.
  enum class Stop { kNone, kPlan, kBeforeFinal };
  void run(const Digest& weight_root, const pcs::LigeroProverData* weights,
           Stop stop = Stop::kNone) {
    Trace trace;
    commit_phase();
    trace.mark("witness commitment");
    lookup_phase();
    trace.mark("lookups (with the layers they reach)");
    output_phase();
    commitment_phase();
    trace.mark("outputs");
    requant_phase();
    trace.mark("requantizations (with the layers they reach)");
    if (stop == Stop::kPlan) return;
    if (!zk_) {
      plain_openings(weight_root, weights);
      trace.mark("openings");
      return;
    }
    product_phase();
    trace.mark("zero-knowledge pad products");
    if (stop == Stop::kBeforeFinal) return;
    final_phase(weight_root, weights);
    trace.mark("zero-knowledge constraints and openings");
  }

  // ReduceContext: what the ops' reductions use.
  bool prover() const override { return kProver; }
  const Circuit& circuit() const override { return c_; }
  const std::vector<int64_t>& values(int t) const override { return (*v_)[t]; }
  Val claim(int t, const Point& r) override {
    return xchg([&] {
      auto it = cheat_.field_values.find(t);
      if (it != cheat_.field_values.end()) return mle_eval(std::span<const Fp>(it->second), r);
      return mle_eval_int((*v_)[t], r);
    });
  }
  Val exchange(Fp2 v) override {
    return xchg([&] { return v; });
  }
  void check(bool ok, const std::string& what) override {
    if constexpr (kProver) {
      if (!ok && !cheat_.any)
        throw std::logic_error(ch_.label() + ": prover self-check failed: " + what);
    } else {
      ch_.expect(ok, what);
    }
  }
  void check_eq(const Val& a, const Val& b, const std::string& what) override {
    if constexpr (kProver) {
      check(a.value() == b.value(), what);
    } else {
      ch_.expect_eq(a, b, what);
    }
  }
  SumcheckOutcome sumcheck(std::vector<std::vector<Fp2>>& tables,
                           const std::vector<ProductTerm>& terms, unsigned degree, Val claim,
                           unsigned num_vars) override {
    if constexpr (kProver) {
      return {sumcheck_prove(ch_, tables, terms, degree), Val()};
    } else {
      auto sc = sumcheck_verify(ch_, claim, num_vars, degree);
      return {sc.point, sc.value};
    }
  }

  // Claims each term of e at r (through its view), resolves them and returns e(r).
  Val expr_claim(const LinExpr& e, const Point& r) override {
    Val acc = Fp2::from_int(e.constant);
    for (const auto& term : e.terms) {
      Point rp = insert_coord(r, term.insert_var, term.insert_bit);
      Val v = claim(term.tensor, rp);
      resolve(term.tensor, rp, v);
      acc += Fp2::from_int(term.coeff) * v;
    }
    return acc;
  }

  void resolve(int t, const Point& r, Val v) override {
    const Tensor& tt = c_.tensors[t];
    if (r.size() != tt.num_vars()) {
      check(false, "claim on tensor '" + tt.name + "' has a point of the wrong length");
      return;
    }
    if (xl_.offset[t] >= 0) {  // in the witness commitment
      claims_.push_back({{{0, static_cast<size_t>(xl_.offset[t]), Fp2::one()}}, r, std::move(v)});
      return;
    }
    switch (tt.kind) {
      case TensorKind::kInput: {
        size_t idx = std::find(c_.inputs.begin(), c_.inputs.end(), t) - c_.inputs.begin();
        check_eq(mle_eval_int(st_.inputs[idx], r), v,
                 "claim on the public input '" + tt.name + "' does not match the input");
        return;
      }
      case TensorKind::kWeight:
        claims_.push_back({{{1, static_cast<size_t>(wl_.offset[t]), Fp2::one()}}, r, std::move(v)});
        return;
      case TensorKind::kWitness:
        check(false, "claim on a witness tensor outside the commitment");
        return;
      case TensorKind::kDerived: {
        // The producing op reduces the claim, in its own proof section.
        const Node& n = c_.nodes[tt.producer];
        const OpDef& op = op_def(n.type);
        std::string saved = ch_.label();
        ch_.section("layer '" + n.layer + "' (" + node_type_name(n.type) + ")");
        op.reduce(*this, n, r, v);
        ch_.section(saved);
        return;
      }
    }
  }

  ZkShape shape_;    // zero knowledge: pads and products (the prover sets it from its plan)
  ZkSystem system_;  // verifier stopped before the final argument: what it collected
  Cheat cheat_;

 private:
  template <typename F>
  Val xchg(F&& compute) {
    if constexpr (kProver) {
      Fp2 v = compute();
      ch_.send_val(v);
      return v;
    } else {
      return ch_.recv_val();
    }
  }

  Point challenge_point(unsigned n) override {
    Point r(n);
    for (auto& x : r) x = ch_.challenge("point");
    return r;
  }

  // A lookup expression's values over the domain, in the field (the prover's
  // witness as committed).
  std::vector<Fp> expr_values(const LinExpr& e, const Tensor& dom) const {
    std::vector<Fp> out(dom.padded_size(), Fp::from_int(e.constant));
    for (const auto& term : e.terms) {
      Fp coeff = Fp::from_int(term.coeff);
      auto it = cheat_.field_values.find(term.tensor);
      const auto& tv = (*v_)[term.tensor];
      for (size_t i = 0; i < out.size(); ++i) {
        size_t k = view_index(term, i);
        out[i] += coeff * (it != cheat_.field_values.end() ? it->second[k] : Fp::from_int(tv[k]));
      }
    }
    return out;
  }

  // 1. The witness commitment (and in zero-knowledge mode the pads).
  void commit_phase() {
    const int64_t half = int64_t{1} << (c_.table_bits - 1);
    lookups_ = lookups_of(c_);
    ch_.section("witness commitment");
    if constexpr (kProver) {
      if (zk_) {
        std::vector<Fp> shp{Fp(shape_.pads), Fp(shape_.products)};
        ch_.send_base(shp);
      }
    } else {
      if (zk_) {
        auto shp = ch_.recv_base(2);
        shape_ = {shp[0].v, shp[1].v};
        if (shape_.pads > kMaxZkCount || shape_.products > kMaxZkCount)
          ch_.fail("malformed proof: implausible number of pads");
      }
    }
    if (zk_) {
      xl_ = zk_witness_layout(c_, shape_, xparams_);
    } else {
      xl_ = witness_layout(c_);
      xparams_ = pcs::choose_params(xl_.num_vars);
    }
    if constexpr (kProver) {
      mults_.assign(c_.tables.size(), std::vector<int64_t>(size_t{1} << c_.table_bits, 0));
      for (const auto& lk : lookups_) {
        auto in = expr_values(lk.in, c_.tensors[lk.domain]);
        const Tensor& dom = c_.tensors[lk.domain];
        Fp offset = c_.tables[lk.table].kind == TableKind::kRange ? Fp() : Fp::from_int(half);
        for (size_t i = 0; i < in.size(); ++i) {
          if (!is_valid_index(dom, i)) continue;
          uint64_t j = (in[i] + offset).v;  // the table row, if the value is in the table
          if (j >= (uint64_t{1} << c_.table_bits)) {
            if (cheat_.any) continue;  // a deliberately cheating prover (tests)
            throw RangeError("'" + lk.what + "': value " + std::to_string(in[i].to_int()) +
                             " is outside the lookup table");
          }
          ++mults_[lk.table][j];
        }
      }
      if (cheat_.extra_multiplicity) ++mults_[0][0];
      auto packed = pack(xl_, *v_, &mults_);
      for (const auto& [t, fv] : cheat_.field_values)
        std::copy(fv.begin(), fv.end(), packed.begin() + xl_.offset[t]);
      Trace tr;
      if (zk_) fill_zk_blocks(packed);
      tr.mark("  (witness packed)");
      witness_ = pcs::ligero_commit(std::move(packed), xparams_);
      tr.mark("  (witness encoded and hashed)");
      witness_root_ = witness_.tree.root();
      ch_.send(witness_root_);
      if (hidden_weights()) {  // fresh masks for this proof's weight opening
        Prng rng;
        weight_masks_ = pcs::ligero_commit_masks(weight_params(c_), rng);
        weight_mask_root_ = weight_masks_.tree.root();
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

  // Prover, zero knowledge: draws the pads, the product slots, the hiding
  // entries and the final sumcheck's mask, and lays them out.
  void fill_zk_blocks(std::vector<Fp>& packed) {
    Prng rng;
    auto at = [&](int b) { return packed.begin() + xl_.extra_offset[b]; };
    size_t total = shape_.pads + shape_.product_pads();
    if (total > shape_.pad_block()) throw std::logic_error("zero knowledge: pad block too small");
    pads_.resize(total);
    for (size_t i = 0; i < total; ++i) {
      pads_[i] = cheat_.zero_pads ? Fp2::zero() : rng.next_fp2();
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

  bool hidden_weights() const { return c_.weight_vis == Visibility::kCommitted; }

  VirtualLayout virtual_vars() const {
    std::vector<unsigned> tv;
    for (int t : committed_tensors(c_)) tv.push_back(tensor_commit_vars(c_.tensors[t]));
    return virtual_layout(xl_.num_vars, tv, hidden_weights() ? wl_.num_vars : 0, wl_.used);
  }

  // The mask's coefficients (constant, then x_i and x_i^2 for each i) in one
  // row, their u parts in the row below.
  void write_mask(Fp* block) const {
    size_t cols = xparams_.cols();
    if (1 + mask_.coeffs.size() > cols)
      throw std::logic_error("zero knowledge: the mask polynomial does not fit its rows");
    std::vector<Fp2> coeffs{mask_.constant};
    coeffs.insert(coeffs.end(), mask_.coeffs.begin(), mask_.coeffs.end());
    for (size_t i = 0; i < coeffs.size(); ++i) {
      block[i] = coeffs[i].a;
      block[cols + i] = coeffs[i].b;
    }
  }

  // 2. Lookups: per table, every lookup into it and the table itself (with
  // negated multiplicities) form one fractional sum that must be zero.
  void lookup_phase() {
    for (size_t tb = 0; tb < c_.tables.size(); ++tb) {
      std::vector<std::vector<const LookupSpec*>> groups;  // per domain
      for (const auto& lk : lookups_) {
        if (lk.table != static_cast<int>(tb)) continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g[0]->domain == lk.domain; });
        if (it == groups.end())
          groups.push_back({&lk});
        else
          it->push_back(&lk);
      }
      if (groups.empty()) continue;
      // Blocks of the fraction tree: each group (instances x domain), then
      // the table; sorted by size so each sits at a multiple of its size.
      struct Blk {
        size_t size;
        int group;  // -1: the table
        size_t offset = 0;
      };
      std::vector<Blk> blocks;
      for (size_t g = 0; g < groups.size(); ++g) {
        unsigned k = log2_exact(next_pow2(groups[g].size()));
        blocks.push_back(
            {c_.tensors[groups[g][0]->domain].padded_size() << k, static_cast<int>(g)});
      }
      blocks.push_back({size_t{1} << c_.table_bits, -1});
      std::stable_sort(blocks.begin(), blocks.end(),
                       [](const Blk& a, const Blk& b) { return a.size > b.size; });
      size_t total = 0;
      for (auto& b : blocks) {
        b.offset = total;
        total += b.size;
      }
      const unsigned L = log2_exact(next_pow2(total));
      const Table& table = c_.tables[tb];
      const auto tin = table_column(c_, table, false), tout = table_column(c_, table, true);
      ch_.section("lookup table " + std::to_string(tb) + " ('" + groups[0][0]->what + "'" +
                  (lookups_.size() > 1 ? " and others" : "") + ")");
      lookup::LeafClaim lc;
      if constexpr (kProver) {
        std::vector<Fp2> p(size_t{1} << L, Fp2::zero()), q(size_t{1} << L, Fp2::one());
        for (const auto& b : blocks) {
          if (b.group < 0) {
            for (size_t j = 0; j < tin.size(); ++j) {
              p[b.offset + j] = -Fp2::from_int(mults_[tb][j]);
              q[b.offset + j] = alpha_ - (Fp2(tin[j]) + beta_ * Fp2(tout[j])) -
                                (cheat_.shift_table ? Fp2::one() : Fp2::zero());
            }
            if (cheat_.zero_table_leaf) q[b.offset] = Fp2::zero();
            continue;
          }
          const auto& group = groups[b.group];
          const Tensor& dom = c_.tensors[group[0]->domain];
          size_t len = dom.padded_size();
          for (size_t j = 0; j < group.size(); ++j) {
            auto in = expr_values(group[j]->in, dom), out = expr_values(group[j]->out, dom);
            for (size_t i = 0; i < len; ++i) {
              p[b.offset + j * len + i] =
                  is_valid_index(dom, i) || cheat_.select_padding ? Fp2::one() : Fp2::zero();
              q[b.offset + j * len + i] = alpha_ - (Fp2(in[i]) + beta_ * Fp2(out[i]));
            }
          }
          if (cheat_.zero_leaf) q[b.offset] = Fp2::zero();
        }
        lc = lookup::fraction_sum_prove(ch_, std::move(p), std::move(q));
      } else {
        lc = lookup::fraction_sum_verify(ch_, L);
      }
      // The leaves at the GKR point: block by block.
      Val p_leaf = Fp2::zero(), q_leaf = Fp2::zero();
      Fp2 covered = Fp2::zero();
      for (const auto& b : blocks) {
        unsigned s = log2_exact(b.size);
        Point low(lc.point.begin(), lc.point.begin() + s);
        Fp2 e = eq_at_index(std::span<const Fp2>(lc.point.data() + s, L - s), b.offset >> s);
        covered += e;
        if (b.group < 0) {
          Fp2 tin_v = mle_eval(std::span<const Fp>(tin), low);
          Fp2 tout_v = mle_eval(std::span<const Fp>(tout), low);
          Val m_v = xchg([&] { return mle_eval_int(mults_[tb], low); });
          claims_.push_back(
              {{{0, static_cast<size_t>(xl_.table_offset[tb]), Fp2::one()}}, low, m_v});
          p_leaf -= e * m_v;
          q_leaf += e * (alpha_ - (tin_v + beta_ * tout_v));
          continue;
        }
        const auto& group = groups[b.group];
        const Tensor& dom = c_.tensors[group[0]->domain];
        const unsigned n = dom.num_vars(), k = s - n;
        Point r_low(low.begin(), low.begin() + n);
        auto e_high = eq_table(std::span<const Fp2>(low.data() + n, k));
        Fp2 live = Fp2::zero();
        Val leaf = Fp2::zero();
        for (size_t j = 0; j < e_high.size(); ++j) {
          if (j >= group.size()) {
            leaf += e_high[j];  // padding instance: denominator 1
            continue;
          }
          live += e_high[j];
          Val in_v = expr_claim(group[j]->in, r_low), out_v = expr_claim(group[j]->out, r_low);
          leaf += e_high[j] * (alpha_ - (in_v + beta_ * out_v));
        }
        p_leaf += e * selector_eval(dom, r_low) * live;
        q_leaf += e * leaf;
      }
      q_leaf += Fp2::one() - covered;  // unused leaves: 0 / 1
      check_eq(lc.p, p_leaf, "lookup selector check failed");
      check_eq(lc.q, q_leaf,
               "lookup leaf check failed: looked-up values do not match the committed tensors");
      check_eq(lc.root.p, Fp2::zero(),
               "lookup sums differ: some looked-up value is not in the table");
    }
  }

  // 3. Public outputs, each at a random point.
  void output_phase() {
    if (c_.output_vis != Visibility::kPublic) return;
    for (size_t i = 0; i < c_.outputs.size(); ++i) {
      int t = c_.outputs[i];
      ch_.section("output '" + c_.tensors[t].name + "'");
      Point r = challenge_point(c_.tensors[t].num_vars());
      Fp2 v = mle_eval_int(st_.outputs[i], r);
      resolve(t, r, v);
    }
  }

  // 3b. Committed tensors: the tensor and its own commitment agree at a
  // random point.
  void commitment_phase() {
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

  // 4. Requantization identities (and a hidden input's limbs).
  void requant_phase() {
    for (const auto& n : c_.nodes) {
      const OpDef& op = op_def(n.type);
      if (!op.has_identity()) continue;
      ch_.section(op.identity_section(c_, n));
      op.identity(*this, n);
    }
  }

  // 5. Without zero knowledge: one batched opening per commitment.
  void plain_openings(const Digest& weight_root, const pcs::LigeroProverData* weights) {
    std::vector<pcs::BlockClaim> bc[2];
    for (const auto& cl : claims_)
      bc[cl.terms[0].commit].push_back({cl.terms[0].offset, cl.point, cl.value.value()});
    ch_.section("weight opening");
    if constexpr (kProver) {
      pcs::batch_open_prove(ch_, *weights, bc[1]);
    } else {
      pcs::batch_open_verify(ch_, weight_params(c_), {weight_root}, bc[1]);
    }
    ch_.section("witness opening");
    if constexpr (kProver) {
      pcs::batch_open_prove(ch_, witness_, bc[0]);
    } else {
      pcs::batch_open_verify(ch_, xparams_, {witness_root_}, bc[0]);
    }
  }

  // 5. Zero knowledge: the pad products C = A * B (A, B copies of pads) by a
  // zero-check over the slots, its messages padded too; A(rho) and B(rho)
  // are revealed (spare random slots hide them).
  void product_phase() {
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

  // 6. Zero knowledge: every claim and check, combined at random, is one
  // linear relation on the committed vectors, proven by a masked sumcheck
  // and zero-knowledge openings.
  void final_phase(const Digest& weight_root, const pcs::LigeroProverData* weights) {
    ch_.set_padding(false);
    ch_.section("zero-knowledge constraints");
    const VirtualLayout vl = virtual_vars();
    const size_t ntc = vl.vars.size() - 2;  // committed tensors
    Fp2 gamma = ch_.challenge("zk-gamma");
    auto region = [&](int b) { return vl.offset[0] + static_cast<size_t>(xl_.extra_offset[b]); };
    auto point_of = [](const Point& z, unsigned n) { return Point(z.begin(), z.begin() + n); };
    // The weights' part of the relation, sum_c weight_c W(point_c), is proven
    // by a plain batched opening of the weight commitment (the weights are
    // not hidden when they have one); its total is sent.
    auto weight_part = [&vl](const Combined& cb) {
      std::vector<pcs::BlockClaim> claims;
      std::vector<Fp2> w;
      for (const auto& q : cb.eqs)
        if (q.commit == 1 && !vl.has_weights) {
          claims.push_back({q.offset, q.point, Fp2::zero()});
          w.push_back(q.weight);
        }
      return std::make_pair(claims, w);
    };
    if constexpr (kProver) {
      // The constraint system, exactly as the verifier will see it: run the
      // verifier over this proof so far.
      VerifierChannel vch(transcript_->clone(), ch_.bytes());
      Engine<false> ver(vch, c_, st_, nullptr);
      Trace tr;
      ver.run(weight_root_, nullptr, Engine<false>::Stop::kBeforeFinal);
      tr.mark("  (verifier run for the constraints)");
      Combined cb = combine(gamma, ver.system_, shape_);
      auto [wclaims, wweights] = weight_part(cb);
      Fp2 beta_w = Fp2::zero();
      for (size_t i = 0; i < wclaims.size(); ++i) {
        size_t len = size_t{1} << wclaims[i].point.size();
        beta_w += wweights[i] *
                  mle_eval(std::span<const Fp>(weights->values.data() + wclaims[i].offset, len),
                           wclaims[i].point);
      }
      if (!wclaims.empty()) ch_.send(beta_w);
      size_t N = size_t{1} << vl.num_vars;
      std::vector<std::vector<Fp2>> t(2, std::vector<Fp2>(N, Fp2::zero()));
      // Each claim's eq table: written in place on a region nothing else
      // touched yet, added otherwise.
      std::vector<std::pair<size_t, size_t>> written;
      std::vector<Fp2> e;
      for (const auto& q : cb.eqs) {
        if (q.commit == 1 && !vl.has_weights) continue;
        size_t len = size_t{1} << q.point.size(), at = vl.offset[q.commit] + q.offset;
        bool overlaps = false;
        for (const auto& [o, l] : written) overlaps |= o < at + len && at < o + l;
        if (!overlaps) {
          eq_table_into(std::span<Fp2>(t[0].data() + at, len), q.point, q.weight);
          written.emplace_back(at, len);
          continue;
        }
        e.assign(len, Fp2::zero());
        eq_table_into(e, q.point, q.weight);
        parallel_chunks(len, size_t{1} << 14, [&](size_t b, size_t en, unsigned) {
          for (size_t i = b; i < en; ++i) t[0][at + i] += e[i];
        });
      }
      for (int b = 0; b < kRand; ++b)
        for (size_t i = 0; i < cb.coefs[b].size(); ++i) t[0][region(b) + i] += cb.coefs[b][i];
      // Blocks may sit in the weights' zero tail: the vector is their sum.
      auto widen = [&](const std::vector<Fp>& v, size_t at) {
        parallel_chunks(v.size(), size_t{1} << 14, [&](size_t b, size_t en, unsigned) {
          for (size_t i = b; i < en; ++i) t[1][at + i] += Fp2(v[i]);
        });
      };
      widen(witness_.values, vl.offset[0]);
      if (vl.has_weights) widen(weights->values, vl.offset[1]);
      for (size_t k = 0; k < ntc; ++k) widen((*tensor_commitments_)[k].values, vl.offset[2 + k]);
      tr.mark("  (combined functional)");
      // Each block's MLE at the point, read off the folded vector once its
      // variables are bound (block b of 2^n entries at offset o: entry o >> n
      // after n rounds).
      std::vector<Fp2> at(vl.vars.size());
      auto capture = [&](unsigned round) {
        for (size_t b = 0; b < vl.vars.size(); ++b)
          if ((b != 1 || vl.has_weights) && vl.vars[b] == round)
            at[b] = t[1][vl.offset[b] >> round];
      };
      auto res = zk_sumcheck_prove(ch_, t, {{Fp2::one(), {0, 1}}}, 2, mask_, capture);
      capture(vl.num_vars);  // blocks as large as the whole vector: fully folded
      tr.mark("  (masked sumcheck)");
      const Point& z = res.point;
      // The weights' range also holds the blocks placed in its tail.
      if (vl.has_weights)
        for (size_t b = 0; b < vl.vars.size(); ++b) {
          if (b == 1 || vl.offset[b] >= (size_t{1} << vl.vars[1])) continue;
          unsigned n = vl.vars[b];
          at[1] -=
              eq_at_index(std::span<const Fp2>(z.data() + n, vl.vars[1] - n), vl.offset[b] >> n) *
              at[b];
        }
      std::vector<Fp2> ys{at[0], res.mask_value};
      for (size_t k = 0; k < ntc; ++k) ys.push_back(at[2 + k]);
      if (vl.has_weights) ys.push_back(at[1]);
      ch_.send(ys);
      ch_.section("witness opening");
      pcs::ligero_open_zk(ch_, witness_, witness_functionals(z));
      tr.mark("  (witness opening)");
      for (size_t k = 0; k < ntc; ++k) {
        ch_.section("tensor commitment opening");
        pcs::ligero_open_zk(
            ch_, (*tensor_commitments_)[k],
            {eq_functional((*tensor_commitments_)[k].params, point_of(z, vl.vars[2 + k]))});
      }
      if (!wclaims.empty()) {
        ch_.section("weight opening");
        pcs::weighted_open_prove(ch_, *weights, wclaims, wweights);
      }
      if (vl.has_weights) {
        ch_.section("weight opening");
        pcs::ligero_open_zk_ext(ch_, *weights, weight_masks_,
                                eq_functional(weights->params, point_of(z, vl.vars[1])));
      }
    } else {
      Combined cb = combine(gamma, system_, shape_);
      auto [wclaims, wweights] = weight_part(cb);
      Fp2 beta_w = wclaims.empty() ? Fp2::zero() : ch_.recv();
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
        az += mle_eval(std::span<const Fp2>(cb.coefs[b]), point_of(z, s)) *
              block_weight(region(b), s, z);
      }
      Fp2 vz = block_weight(vl.offset[0], vl.vars[0], z) * ys[0];
      for (size_t k = 0; k < ntc; ++k)
        vz += block_weight(vl.offset[2 + k], vl.vars[2 + k], z) * ys[2 + k];
      if (vl.has_weights) vz += block_weight(vl.offset[1], vl.vars[1], z) * ys[2 + ntc];
      ch_.expect(sc.combined == az * vz + sc.rho * ys[1],
                 "final check of the constraint sumcheck failed");
      ch_.section("witness opening");
      pcs::ligero_verify_zk(ch_, xparams_, {witness_root_}, witness_functionals(z), {ys[0], ys[1]});
      for (size_t k = 0; k < ntc; ++k) {
        ch_.section("tensor commitment opening");
        auto p = tensor_commit_params(c_.tensors[committed_tensors(c_)[k]]);
        pcs::ligero_verify_zk(ch_, p, {st_.commitments[k]},
                              {eq_functional(p, point_of(z, vl.vars[2 + k]))}, {ys[2 + k]});
      }
      if (!wclaims.empty()) {
        ch_.section("weight opening");
        pcs::weighted_open_verify(ch_, weight_params(c_), {weight_root}, wclaims, wweights, beta_w);
      }
      if (vl.has_weights) {
        ch_.section("weight opening");
        auto wp = weight_params(c_);
        pcs::ligero_verify_zk_ext(ch_, wp, weight_root, weight_mask_root_,
                                  eq_functional(wp, point_of(z, vl.vars[1])), ys[2 + ntc]);
      }
    }
  }

  static pcs::Functional eq_functional(const pcs::LigeroParams& p, const Point& z) {
    return {eq_table(std::span<const Fp2>(z.data() + p.log_cols, p.log_rows)),
            eq_table(std::span<const Fp2>(z.data(), p.log_cols))};
  }

  // The two evaluations of the witness commitment the final check needs: at
  // the sumcheck point, and the mask polynomial's value there.
  std::vector<pcs::Functional> witness_functionals(const Point& z) const {
    const auto& p = xparams_;
    Point zw(z.begin(), z.begin() + xl_.num_vars);
    pcs::Functional at_z = eq_functional(p, zw);
    pcs::Functional mask;
    mask.row.assign(p.rows(), Fp2::zero());
    size_t row = static_cast<size_t>(xl_.extra_offset[kMask]) / p.cols();
    mask.row[row] = Fp2::one();
    mask.row[row + 1] = Fp2(Fp(), Fp::one());
    mask.col.assign(p.cols(), Fp2::zero());
    if (1 + 2 * z.size() > p.cols())  // cannot happen: hiding rows are at least 256 wide
      throw std::invalid_argument("zero knowledge: the mask polynomial does not fit its rows");
    mask.col[0] = Fp2::one();
    for (unsigned i = 0; i < z.size(); ++i) {
      mask.col[1 + 2 * i] = z[i];
      mask.col[2 + 2 * i] = z[i] * z[i];
    }
    return {at_z, mask};
  }

  Channel& ch_;
  const Circuit& c_;
  const Statement& st_;
  const Values* v_;
  bool zk_;
  Layout wl_, xl_;
  pcs::LigeroParams xparams_;
  std::vector<LookupSpec> lookups_;
  std::vector<std::vector<int64_t>> mults_;
  pcs::LigeroProverData witness_;
  Digest witness_root_;
  Fp2 alpha_, beta_;
  std::vector<ZkClaim> claims_;
  // zero knowledge
  std::vector<Fp2> pads_, slots_a_, slots_b_, slots_c_;
  SumcheckMask mask_;
  pcs::LigeroProverData weight_masks_;
  Digest weight_mask_root_;

 public:
  std::vector<std::pair<uint32_t, uint32_t>> pairs_;                        // prover: from its plan
  const std::vector<pcs::LigeroProverData>* tensor_commitments_ = nullptr;  // prover
  std::optional<Transcript> transcript_;  // prover: the statement transcript
  Digest weight_root_;                    // prover
};

}  // namespace

// Random entries in a hiding weight commitment: they make each proof's
// evaluation of it uniform, for up to this many proofs.
size_t weight_rand_block(const Circuit& c) {
  return next_pow2(std::max<size_t>(64, 4 * size_t{c.weight_proofs}));
}

Layout weight_layout(const Circuit& c) {
  std::vector<size_t> extra;
  if (c.weight_vis == Visibility::kCommitted) extra.push_back(weight_rand_block(c));
  Layout l = make_layout(c, TensorKind::kWeight, false, extra);
  // A reusable hiding commitment needs rows wide enough for the random
  // coefficients of all its openings: small models are padded up.
  if (c.weight_vis == Visibility::kCommitted)
    while (l.num_vars < 40) {
      try {
        (void)pcs::choose_params_reusable(l.num_vars, c.weight_proofs);
        break;
      } catch (const std::invalid_argument&) {
        ++l.num_vars;
      }
    }
  return l;
}
Layout witness_layout(const Circuit& c) { return make_layout(c, TensorKind::kWitness, true); }

pcs::LigeroParams weight_params(const Circuit& c) {
  unsigned nv = weight_layout(c).num_vars;
  if (c.weight_vis == Visibility::kCommitted)
    return pcs::choose_params_reusable(nv, c.weight_proofs);
  return pcs::choose_params(nv);
}

std::vector<Fp> pack_weights(const Circuit& c, const Values& values, const Digest& seed) {
  Layout l = weight_layout(c);
  auto v = pack(l, values);
  if (c.weight_vis == Visibility::kCommitted) {
    Prng rng(seed);
    for (size_t i = 0; i < weight_rand_block(c); ++i) v[l.extra_offset[0] + i] = rng.next_fp();
  }
  return v;
}

pcs::LigeroProverData commit_weights(const Circuit& c, const Values& values, const Digest& seed) {
  auto v = pack_weights(c, values, seed);
  if (c.weight_vis != Visibility::kCommitted)
    return pcs::ligero_commit(std::move(v), weight_params(c));
  // The commitment's own randomness continues from the random entries'.
  Prng rng(seed);
  for (size_t i = 0; i < weight_rand_block(c); ++i) (void)rng.next_fp();
  return pcs::ligero_commit(std::move(v), weight_params(c), &rng);
}

namespace {
Transcript statement_transcript(const Circuit& c, const Digest& weight_root, const Statement& st) {
  Transcript t("zkinfer-proof-v1");
  t.absorb("circuit", c.digest());
  t.absorb("weights", weight_root);
  auto absorb_ints = [&](const char* tag, const std::vector<int64_t>& v) {
    std::vector<Fp> f(v.size());
    for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::from_int(v[i]);
    t.absorb_fp(tag, f);
  };
  for (const auto& v : st.inputs) absorb_ints("input", v);
  for (const auto& v : st.outputs) absorb_ints("output", v);
  for (const auto& d : st.commitments) t.absorb("tensor commitment", d);
  return t;
}
}  // namespace

bool zero_knowledge(const Circuit& c) {
  return c.input_vis != Visibility::kPublic || c.output_vis != Visibility::kPublic ||
         c.weight_vis != Visibility::kPublic;
}

std::vector<int> committed_tensors(const Circuit& c) {
  std::vector<int> out;
  if (c.input_vis == Visibility::kCommitted)
    out.insert(out.end(), c.inputs.begin(), c.inputs.end());
  if (c.output_vis == Visibility::kCommitted)
    out.insert(out.end(), c.outputs.begin(), c.outputs.end());
  return out;
}

pcs::LigeroProverData commit_tensor(const Tensor& t, const std::vector<int64_t>& padded,
                                    const Digest& seed) {
  Prng rng(seed);
  std::vector<Fp> v(size_t{1} << tensor_commit_vars(t));
  for (size_t i = 0; i < padded.size() && i < v.size(); ++i) v[i] = Fp::from_int(padded[i]);
  for (size_t i = 0; i < kRandBlock; ++i) v[t.padded_size() + i] = rng.next_fp();
  return pcs::ligero_commit(std::move(v), tensor_commit_params(t), &rng);
}

ProofStream prove_stream(const Circuit& c, const pcs::LigeroProverData& weights,
                         const Values& values, const Statement& st, Cheat cheat,
                         const std::vector<pcs::LigeroProverData>* tensor_commitments) {
  if (committed_tensors(c).size() != st.commitments.size() ||
      (!st.commitments.empty() &&
       (!tensor_commitments || tensor_commitments->size() != st.commitments.size())))
    throw std::logic_error("prove: the committed tensors' commitments are missing");
  Transcript t0 = statement_transcript(c, weights.tree.root(), st);
  ZkShape shape;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  if (zero_knowledge(c)) {
    // Plan: run the verifier on an empty proof to count the messages (one
    // pad each) and the products of padded values its checks take.
    VerifierChannel plan(t0.clone(), {});
    plan.set_plan_mode();
    Engine<false> e(plan, c, st, nullptr);
    e.run(weights.tree.root(), nullptr, Engine<false>::Stop::kPlan);
    pairs = product_pairs(plan.constraints());
    shape = {plan.pads_used(), pairs.size()};
  }
  ProverChannel ch(t0.clone());
  if (!cheat.challenges.empty()) ch.program_challenges(cheat.challenges);
  Engine<true> e(ch, c, st, &values);
  if (cheat.select_padding || cheat.shift_table || cheat.zero_leaf || cheat.zero_table_leaf ||
      cheat.extra_multiplicity || !cheat.field_values.empty())
    cheat.any = true;
  e.cheat_ = cheat;
  e.shape_ = shape;
  e.pairs_ = std::move(pairs);
  e.transcript_.emplace(t0.clone());
  e.weight_root_ = weights.tree.root();
  e.tensor_commitments_ = tensor_commitments;
  e.run(weights.tree.root(), &weights);
  ProofStream out;
  out.sections = ch.sections();
  out.bytes = ch.take_bytes();
  out.sections = ch.sections();
  return out;
}

void verify_stream(const Circuit& c, const Digest& weight_root, const Statement& st,
                   std::span<const uint8_t> bytes, std::map<std::string, size_t>* breakdown) {
  if (c.output_vis == Visibility::kPublic) {
    if (st.outputs.size() != c.outputs.size())
      throw VerifyError("statement: wrong number of outputs");
    for (size_t i = 0; i < c.outputs.size(); ++i)
      if (st.outputs[i].size() != c.tensors[c.outputs[i]].padded_size())
        throw VerifyError("statement: output has the wrong size");
  }
  if (c.input_vis == Visibility::kPublic) {
    if (st.inputs.size() != c.inputs.size()) throw VerifyError("statement: wrong number of inputs");
    for (size_t i = 0; i < c.inputs.size(); ++i)
      if (st.inputs[i].size() != c.tensors[c.inputs[i]].padded_size())
        throw VerifyError("statement: input has the wrong size");
  }
  if (st.commitments.size() != committed_tensors(c).size())
    throw VerifyError("statement: wrong number of commitments");
  VerifierChannel ch(statement_transcript(c, weight_root, st), bytes);
  Engine<false> e(ch, c, st, nullptr);
  e.run(weight_root, nullptr);
  ch.finish();
  if (breakdown) *breakdown = ch.bytes_by_kind();
}

pcs::LigeroParams witness_params(const Circuit& c, const Statement* real) {
  if (!zero_knowledge(c)) return pcs::choose_params(witness_layout(c).num_vars);
  // The plan counts messages and products, which depend on the statement's
  // shape only: zeros of the right sizes stand in for the real values.
  Statement st;
  if (c.input_vis == Visibility::kPublic)
    for (int t : c.inputs) st.inputs.emplace_back(c.tensors[t].padded_size(), 0);
  if (c.output_vis == Visibility::kPublic)
    for (int t : c.outputs) st.outputs.emplace_back(c.tensors[t].padded_size(), 0);
  st.commitments.resize(committed_tensors(c).size());
  if (real) st = *real;
  const Digest root{};
  VerifierChannel plan(statement_transcript(c, root, st), {});
  plan.set_plan_mode();
  Engine<false> e(plan, c, st, nullptr);
  e.run(root, nullptr, Engine<false>::Stop::kPlan);
  const ZkShape shape{plan.pads_used(), product_pairs(plan.constraints()).size()};
  pcs::LigeroParams params;
  (void)zk_witness_layout(c, shape, params);
  return params;
}

}  // namespace zk::circuit

#include "circuit/protocol.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <type_traits>

#include "circuit/ops/op.h"
#include "lookup/logup.h"
#include "pcs/batch.h"
#include "sumcheck/sumcheck.h"

namespace zk::circuit {

namespace {

Layout make_layout(const Circuit& c, TensorKind kind, bool with_tables) {
  Layout l;
  l.offset.assign(c.tensors.size(), -1);
  struct Block {
    size_t size;
    int id;  // tensor id, or -(table + 1)
  };
  std::vector<Block> blocks;
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    const auto& tt = c.tensors[t];
    bool in = tt.kind == kind || (kind == TensorKind::kWitness && tt.kind == TensorKind::kInput &&
                                  c.input_vis != Visibility::kPublic);
    if (in) blocks.push_back({tt.padded_size(), static_cast<int>(t)});
  }
  if (with_tables)
    for (size_t i = 0; i < c.tables.size(); ++i)
      blocks.push_back({size_t{1} << c.table_bits, -static_cast<int>(i) - 1});
  l.table_offset.assign(c.tables.size(), -1);
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const Block& a, const Block& b) { return a.size > b.size; });
  size_t off = 0;
  for (const auto& b : blocks) {
    if (b.id >= 0)
      l.offset[b.id] = static_cast<int64_t>(off);
    else
      l.table_offset[-b.id - 1] = static_cast<int64_t>(off);
    off += b.size;
  }
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

template <bool kProver>
class Engine final : public ReduceContext {
 public:
  using Channel = std::conditional_t<kProver, ProverChannel, VerifierChannel>;

  Engine(Channel& ch, const Circuit& c, const Statement& st, const Values* values)
      : ch_(ch), c_(c), st_(st), v_(values), wl_(weight_layout(c)), xl_(witness_layout(c)) {}

  void run(const Digest& weight_root, const pcs::LigeroProverData* weights) {
    const int64_t half = int64_t{1} << (c_.table_bits - 1);
    Trace trace;
    // 1. Witness commitment.
    auto lookups = lookups_of(c_);
    std::vector<std::vector<int64_t>> mults;
    pcs::LigeroProverData witness;
    auto wparams = pcs::choose_params(xl_.num_vars);
    ch_.section("witness commitment");
    Digest witness_root;
    if constexpr (kProver) {
      mults.assign(c_.tables.size(), std::vector<int64_t>(size_t{1} << c_.table_bits, 0));
      for (const auto& lk : lookups) {
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
          ++mults[lk.table][j];
        }
      }
      auto packed = pack(xl_, *v_, &mults);
      for (const auto& [t, fv] : cheat_.field_values)
        std::copy(fv.begin(), fv.end(), packed.begin() + xl_.offset[t]);
      witness = pcs::ligero_commit(std::move(packed), wparams);
      witness_root = witness.tree.root();
      ch_.send(witness_root);
    } else {
      witness_root = ch_.recv_digest();
    }
    Fp2 alpha = ch_.challenge("lookup-alpha"), beta = ch_.challenge("lookup-beta");

    trace.mark("witness commitment");
    // 2. Lookups, table by table.
    for (size_t tb = 0; tb < c_.tables.size(); ++tb) {
      Fp2 sum = Fp2::zero();
      bool used = false;
      // Lookups into this table over the same domain share one fraction
      // tree: instance j's leaves sit at j * 2^n + i (padding instances
      // contribute 0/1).
      std::vector<int> domains;
      for (const auto& lk : lookups)
        if (lk.table == static_cast<int>(tb) &&
            std::find(domains.begin(), domains.end(), lk.domain) == domains.end())
          domains.push_back(lk.domain);
      for (int domain : domains) {
        std::vector<const LookupSpec*> group;
        for (const auto& lk : lookups)
          if (lk.table == static_cast<int>(tb) && lk.domain == domain) group.push_back(&lk);
        used = true;
        const Tensor& dom = c_.tensors[domain];
        const unsigned n = dom.num_vars(), k = log2_exact(group.size());
        ch_.section("lookup '" + group[0]->what +
                    (group.size() > 1 ? " (+" + std::to_string(group.size() - 1) + " more)" : "") +
                    "'");
        lookup::LeafClaim lc;
        if constexpr (kProver) {
          size_t len = dom.padded_size();
          std::vector<Fp2> p(len << k, Fp2::zero()), q(len << k, Fp2::one());
          for (size_t j = 0; j < group.size(); ++j) {
            auto in = expr_values(group[j]->in, dom), out = expr_values(group[j]->out, dom);
            for (size_t i = 0; i < len; ++i) {
              p[j * len + i] =
                  is_valid_index(dom, i) || cheat_.select_padding ? Fp2::one() : Fp2::zero();
              q[j * len + i] = alpha - (Fp2(in[i]) + beta * Fp2(out[i]));
            }
          }
          if (cheat_.zero_leaf) q[0] = Fp2::zero();
          lc = lookup::fraction_sum_prove(ch_, std::move(p), std::move(q));
        } else {
          lc = lookup::fraction_sum_verify(ch_, n + k);
        }
        // A zero denominator would make the fraction (and the sum) meaningless.
        check(!lc.root.q.is_zero(), "lookup fraction has a zero denominator");
        Point r_low(lc.point.begin(), lc.point.begin() + n);
        auto e_high = eq_table(std::span<const Fp2>(lc.point.data() + n, k));
        Fp2 live = Fp2::zero(), leaf = Fp2::zero();
        for (size_t j = 0; j < e_high.size(); ++j) {
          if (j >= group.size()) {
            leaf += e_high[j];  // padding instance: denominator 1
            continue;
          }
          live += e_high[j];
          Fp2 in_v = expr_claim(group[j]->in, r_low), out_v = expr_claim(group[j]->out, r_low);
          leaf += e_high[j] * (alpha - (in_v + beta * out_v));
        }
        check(lc.p == selector_eval(dom, r_low) * live, "lookup selector check failed");
        check(lc.q == leaf,
              "lookup leaf check failed: looked-up values do not match the committed tensors");
        sum += lc.root.p * lc.root.q.inverse();
      }
      if (!used) continue;
      ch_.section("lookup table " + std::to_string(tb));
      lookup::LeafClaim lc;
      const Table& table = c_.tables[tb];
      const auto tin = table_column(c_, table, false), tout = table_column(c_, table, true);
      if constexpr (kProver) {
        std::vector<Fp2> p(tin.size()), q(tin.size());
        for (size_t j = 0; j < tin.size(); ++j) {
          p[j] = Fp2::from_int(mults[tb][j]);
          q[j] = alpha - (Fp2(tin[j]) + beta * Fp2(tout[j])) -
                 (cheat_.shift_table ? Fp2::one() : Fp2::zero());
        }
        if (cheat_.zero_table_leaf) q[0] = Fp2::zero();
        lc = lookup::fraction_sum_prove(ch_, std::move(p), std::move(q));
      } else {
        lc = lookup::fraction_sum_verify(ch_, c_.table_bits);
      }
      check(!lc.root.q.is_zero(), "lookup table fraction has a zero denominator");
      Fp2 tin_v = mle_eval(std::span<const Fp>(tin), lc.point);
      Fp2 tout_v = mle_eval(std::span<const Fp>(tout), lc.point);
      check(lc.q == alpha - (tin_v + beta * tout_v), "lookup table leaf check failed");
      Fp2 m_v = xchg([&] { return mle_eval_int(mults[tb], lc.point); });
      check(lc.p == m_v, "lookup multiplicity claim does not match");
      witness_claims_.push_back({static_cast<size_t>(xl_.table_offset[tb]), lc.point, m_v});
      check(sum == lc.root.p * lc.root.q.inverse(),
            "lookup sums differ: some looked-up value is not in the table");
    }

    trace.mark("lookups (with the layers they reach)");
    // 3. Public outputs, each at a random point.
    for (size_t i = 0; i < c_.outputs.size(); ++i) {
      int t = c_.outputs[i];
      ch_.section("output '" + c_.tensors[t].name + "'");
      Point r = challenge_point(c_.tensors[t].num_vars());
      Fp2 v = mle_eval_int(st_.outputs[i], r);
      resolve(t, r, v);
    }

    trace.mark("outputs");
    // 4. Requantization identities.
    for (const auto& n : c_.nodes) {
      if (n.type != NodeType::kRequant) continue;
      ch_.section("layer '" + n.layer + "' (requantize)");
      int y = n.out[0], q = n.out[1] >= 0 ? n.out[1] : y, rem = n.out[2], rem_hi = n.out[3];
      Point r = challenge_point(c_.tensors[y].num_vars());
      Fp2 xv = claim(n.in[0], r), qv = claim(q, r);
      Fp2 rv = rem >= 0 ? claim(rem, r) : Fp2::zero();
      Fp2 hv = rem_hi >= 0 ? claim(rem_hi, r) : Fp2::zero();
      int64_t h = n.shift > 0 ? int64_t{1} << (n.shift - 1) : 0;
      check(xv * Fp2::from_int(n.mult) + Fp2::from_int(h) ==
                qv * Fp2::from_int(int64_t{1} << n.shift) + rv +
                    hv * Fp2::from_int(int64_t{1}
                                       << std::max(0, n.shift - static_cast<int>(c_.table_bits))),
            "requantization identity failed");
      resolve(n.in[0], r, xv);
      resolve(q, r, qv);
      if (rem >= 0) resolve(rem, r, rv);
      if (rem_hi >= 0) resolve(rem_hi, r, hv);
    }

    trace.mark("requantizations (with the layers they reach)");
    // 5. One batched opening per commitment.
    ch_.section("weight opening");
    auto wp = weight_params(c_);
    if constexpr (kProver) {
      pcs::batch_open_prove(ch_, *weights, weight_claims_);
    } else {
      pcs::batch_open_verify(ch_, wp, {weight_root}, weight_claims_);
    }
    trace.mark("weight opening");
    ch_.section("witness opening");
    if constexpr (kProver) {
      pcs::batch_open_prove(ch_, witness, witness_claims_);
    } else {
      pcs::batch_open_verify(ch_, wparams, {witness_root}, witness_claims_);
    }
    trace.mark("witness opening");
  }

  // ReduceContext: what the ops' reductions use.
  bool prover() const override { return kProver; }
  const Circuit& circuit() const override { return c_; }
  const std::vector<int64_t>& values(int t) const override { return (*v_)[t]; }
  Fp2 claim(int t, const Point& r) override {
    return xchg([&] {
      auto it = cheat_.field_values.find(t);
      if (it != cheat_.field_values.end()) return mle_eval(std::span<const Fp>(it->second), r);
      return mle_eval_int((*v_)[t], r);
    });
  }
  Fp2 exchange(Fp2 v) override {
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
  SumcheckOutcome sumcheck(std::vector<std::vector<Fp2>>& tables,
                           const std::vector<ProductTerm>& terms, unsigned degree, Fp2 claim,
                           unsigned num_vars) override {
    if constexpr (kProver) {
      return {sumcheck_prove(ch_, tables, terms, degree), Fp2()};
    } else {
      auto sc = sumcheck_verify(ch_, claim, num_vars, degree);
      return {sc.point, sc.value};
    }
  }

  // Claims each term of e at r (through its view), resolves them and returns e(r).
  Fp2 expr_claim(const LinExpr& e, const Point& r) override {
    Fp2 acc = Fp2::from_int(e.constant);
    for (const auto& term : e.terms) {
      Point rp = insert_coord(r, term.insert_var, term.insert_bit);
      Fp2 v = claim(term.tensor, rp);
      resolve(term.tensor, rp, v);
      acc += Fp2::from_int(term.coeff) * v;
    }
    return acc;
  }

  void resolve(int t, const Point& r, Fp2 v) override {
    const Tensor& tt = c_.tensors[t];
    if (r.size() != tt.num_vars()) {
      check(false, "claim on tensor '" + tt.name + "' has a point of the wrong length");
      return;
    }
    switch (tt.kind) {
      case TensorKind::kInput: {
        if (c_.input_vis != Visibility::kPublic) {
          witness_claims_.push_back({static_cast<size_t>(xl_.offset[t]), r, v});
          return;
        }
        size_t idx = std::find(c_.inputs.begin(), c_.inputs.end(), t) - c_.inputs.begin();
        check(mle_eval_int(st_.inputs[idx], r) == v,
              "claim on the public input '" + tt.name + "' does not match the input");
        return;
      }
      case TensorKind::kWeight:
        weight_claims_.push_back({static_cast<size_t>(wl_.offset[t]), r, v});
        return;
      case TensorKind::kWitness:
        witness_claims_.push_back({static_cast<size_t>(xl_.offset[t]), r, v});
        return;
      case TensorKind::kDerived: {
        // The producing op reduces the claim, in its own proof section.
        const Node& n = c_.nodes[tt.producer];
        const OpDef& op = op_def(n.type);
        if (!op.reduce) {
          check(false, "claim on a tensor without a reduction");
          return;
        }
        std::string saved = ch_.label();
        ch_.section("layer '" + n.layer + "' (" + node_type_name(n.type) + ")");
        op.reduce(*this, n, r, v);
        ch_.section(saved);
        return;
      }
    }
  }

 private:
  template <typename F>
  Fp2 xchg(F&& compute) {
    if constexpr (kProver) {
      Fp2 v = compute();
      ch_.send(v);
      return v;
    } else {
      return ch_.recv();
    }
  }

  Point challenge_point(unsigned n) {
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

  Channel& ch_;
  const Circuit& c_;
  const Statement& st_;
  const Values* v_;
  Layout wl_, xl_;
  std::vector<pcs::BlockClaim> weight_claims_, witness_claims_;

 public:
  Cheat cheat_;
};

}  // namespace

Layout weight_layout(const Circuit& c) { return make_layout(c, TensorKind::kWeight, false); }
Layout witness_layout(const Circuit& c) { return make_layout(c, TensorKind::kWitness, true); }

pcs::LigeroParams weight_params(const Circuit& c) {
  return pcs::choose_params(weight_layout(c).num_vars);
}

std::vector<Fp> pack_weights(const Circuit& c, const Values& values) {
  return pack(weight_layout(c), values);
}

pcs::LigeroProverData commit_weights(const Circuit& c, const Values& values) {
  return pcs::ligero_commit(pack_weights(c, values), weight_params(c));
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
  return t;
}
}  // namespace

ProofStream prove_stream(const Circuit& c, const pcs::LigeroProverData& weights,
                         const Values& values, const Statement& st, Cheat cheat) {
  ProverChannel ch(statement_transcript(c, weights.tree.root(), st));
  Engine<true> e(ch, c, st, &values);
  if (cheat.select_padding || cheat.shift_table || cheat.zero_leaf || cheat.zero_table_leaf ||
      !cheat.field_values.empty())
    cheat.any = true;
  e.cheat_ = cheat;
  e.run(weights.tree.root(), &weights);
  ProofStream out;
  out.sections = ch.sections();
  out.bytes = ch.take_bytes();
  out.sections = ch.sections();
  return out;
}

void verify_stream(const Circuit& c, const Digest& weight_root, const Statement& st,
                   std::span<const uint8_t> bytes, std::map<std::string, size_t>* breakdown) {
  if (st.outputs.size() != c.outputs.size())
    throw VerifyError("statement: wrong number of outputs");
  for (size_t i = 0; i < c.outputs.size(); ++i)
    if (st.outputs[i].size() != c.tensors[c.outputs[i]].padded_size())
      throw VerifyError("statement: output has the wrong size");
  if (c.input_vis == Visibility::kPublic) {
    if (st.inputs.size() != c.inputs.size()) throw VerifyError("statement: wrong number of inputs");
    for (size_t i = 0; i < c.inputs.size(); ++i)
      if (st.inputs[i].size() != c.tensors[c.inputs[i]].padded_size())
        throw VerifyError("statement: input has the wrong size");
  }
  VerifierChannel ch(statement_transcript(c, weight_root, st), bytes);
  Engine<false> e(ch, c, st, nullptr);
  e.run(weight_root, nullptr);
  ch.finish();
  if (breakdown) *breakdown = ch.bytes_by_kind();
}

}  // namespace zk::circuit

#include "circuit/protocol.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <type_traits>

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

Point insert_coord(const Point& r, int var, uint8_t bit) {
  if (var < 0) return r;
  Point out(r.begin(), r.begin() + var);
  out.push_back(bit ? Fp2::one() : Fp2::zero());
  out.insert(out.end(), r.begin() + var, r.end());
  return out;
}

Point slice(const Point& r, size_t begin, size_t len) {
  return Point(r.begin() + begin, r.begin() + begin + len);
}

Point concat(const Point& a, const Point& b) {
  Point out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// P[iy] = sum_{y, k < K} e_out[y] * kw[k] * [iy == y*stride + k - pad, 0 <= iy < H]:
// the structured predicate of a strided window along one axis.
std::vector<Fp2> axis_predicate(const std::vector<Fp2>& e_out, const std::vector<Fp2>* kw,
                                int64_t K, int64_t stride, int64_t pad, int64_t H, size_t Hp) {
  std::vector<Fp2> p(Hp);
  for (size_t y = 0; y < e_out.size(); ++y) {
    for (int64_t k = 0; k < K; ++k) {
      int64_t iy = static_cast<int64_t>(y) * stride + k - pad;
      if (iy < 0 || iy >= H) continue;
      p[iy] += kw ? e_out[y] * (*kw)[k] : e_out[y];
    }
  }
  return p;
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
class Engine {
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
        for (size_t i = 0; i < in.size(); ++i) {
          if (!is_valid_index(dom, i)) continue;
          int64_t j = c_.tables[lk.table].kind == TableKind::kRange ? in[i] : in[i] + half;
          if (j < 0 || j >= (int64_t{1} << c_.table_bits)) {
            if (cheat_.any) continue;  // a deliberately cheating prover (tests)
            throw RangeError("'" + lk.what + "': value " + std::to_string(in[i]) +
                             " is outside the lookup table");
          }
          ++mults[lk.table][j];
        }
      }
      witness = pcs::ligero_commit(pack(xl_, *v_, &mults), wparams);
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
      for (const auto& lk : lookups) {
        if (lk.table != static_cast<int>(tb)) continue;
        used = true;
        ch_.section("lookup '" + lk.what + "'");
        const Tensor& dom = c_.tensors[lk.domain];
        lookup::LeafClaim lc;
        if constexpr (kProver) {
          auto in = expr_values(lk.in, dom), out = expr_values(lk.out, dom);
          std::vector<Fp2> p(in.size()), q(in.size());
          for (size_t i = 0; i < in.size(); ++i) {
            p[i] = is_valid_index(dom, i) || cheat_.select_padding ? Fp2::one() : Fp2::zero();
            q[i] = alpha - (Fp2::from_int(in[i]) + beta * Fp2::from_int(out[i]));
          }
          lc = lookup::fraction_sum_prove(ch_, std::move(p), std::move(q));
        } else {
          lc = lookup::fraction_sum_verify(ch_, dom.num_vars());
        }
        check(lc.p == selector_eval(dom, lc.point), "lookup selector check failed");
        Fp2 in_v = expr_claim(lk.in, lc.point), out_v = expr_claim(lk.out, lc.point);
        check(lc.q == alpha - (in_v + beta * out_v),
              "lookup leaf check failed: looked-up values do not match the committed tensors");
        check(!lc.root.q.is_zero(), "lookup fraction has a zero denominator");
        sum += lc.root.p * lc.root.q.inverse();
      }
      if (!used) continue;
      ch_.section("lookup table " + std::to_string(tb));
      lookup::LeafClaim lc;
      const Table& table = c_.tables[tb];
      if constexpr (kProver) {
        auto tin = table_column(c_, table, false), tout = table_column(c_, table, true);
        std::vector<Fp2> p(tin.size()), q(tin.size());
        for (size_t j = 0; j < tin.size(); ++j) {
          p[j] = Fp2::from_int(mults[tb][j]);
          q[j] = alpha - (Fp2(tin[j]) + beta * Fp2(tout[j])) -
                 (cheat_.shift_table ? Fp2::one() : Fp2::zero());
        }
        lc = lookup::fraction_sum_prove(ch_, std::move(p), std::move(q));
      } else {
        lc = lookup::fraction_sum_verify(ch_, c_.table_bits);
      }
      Fp2 tin_v = mle_eval(std::span<const Fp>(table_column(c_, table, false)), lc.point);
      Fp2 tout_v = mle_eval(std::span<const Fp>(table_column(c_, table, true)), lc.point);
      check(lc.q == alpha - (tin_v + beta * tout_v), "lookup table leaf check failed");
      Fp2 m_v = xchg([&] { return mle_eval_int(mults[tb], lc.point); });
      check(lc.p == m_v, "lookup multiplicity claim does not match");
      witness_claims_.push_back({static_cast<size_t>(xl_.table_offset[tb]), lc.point, m_v});
      check(!lc.root.q.is_zero(), "lookup table fraction has a zero denominator");
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
                    hv * Fp2::from_int(int64_t{1} << c_.table_bits),
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

  void check(bool ok, const std::string& what) {
    if constexpr (kProver) {
      if (!ok && !cheat_.any)
        throw std::logic_error(ch_.label() + ": prover self-check failed: " + what);
    } else {
      ch_.expect(ok, what);
    }
  }

  Point challenge_point(unsigned n) {
    Point r(n);
    for (auto& x : r) x = ch_.challenge("point");
    return r;
  }

  // Prover: MLE of tensor t (optionally through a view) at r.
  Fp2 eval(int t, const Point& r) const { return mle_eval_int((*v_)[t], r); }

  Fp2 claim(int t, const Point& r) {
    return xchg([&] { return eval(t, r); });
  }

  std::vector<int64_t> expr_values(const LinExpr& e, const Tensor& dom) const {
    std::vector<int64_t> out(dom.padded_size(), e.constant);
    for (const auto& term : e.terms) {
      const auto& tv = (*v_)[term.tensor];
      for (size_t i = 0; i < out.size(); ++i) out[i] += term.coeff * tv[view_index(term, i)];
    }
    return out;
  }

  // Claims each term of e at r (through its view), resolves them and returns e(r).
  Fp2 expr_claim(const LinExpr& e, const Point& r) {
    Fp2 acc = Fp2::from_int(e.constant);
    for (const auto& term : e.terms) {
      Point rp = insert_coord(r, term.insert_var, term.insert_bit);
      Fp2 v = claim(term.tensor, rp);
      resolve(term.tensor, rp, v);
      acc += Fp2::from_int(term.coeff) * v;
    }
    return acc;
  }

  void resolve(int t, const Point& r, Fp2 v) {
    const Tensor& tt = c_.tensors[t];
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
      case TensorKind::kDerived:
        reduce(c_.nodes[tt.producer], r, v);
        return;
    }
  }

  // Runs a degree-2 sumcheck of sum_x pred(x) * t(x) = claim where t is the
  // tensor `x`; returns the point and t's value there (pred's is checked by caller).
  struct Reduced {
    Point point;
    Fp2 final_value;
    Fp2 tensor_value;
  };
  Reduced pred_sumcheck(std::vector<Fp2> pred, int x, Fp2 claim_value) {
    Reduced out;
    if constexpr (kProver) {
      std::vector<std::vector<Fp2>> tables{std::move(pred), to_ext((*v_)[x])};
      out.point = sumcheck_prove(ch_, tables, {{Fp2::one(), {0, 1}}}, 2);
      out.tensor_value = tables[1][0];
      out.final_value = tables[0][0] * tables[1][0];
    } else {
      auto sc = sumcheck_verify(ch_, claim_value, c_.tensors[x].num_vars(), 2);
      out.point = sc.point;
      out.final_value = sc.value;
    }
    out.tensor_value = xchg([&] { return out.tensor_value; });
    return out;
  }

  void reduce(const Node& n, const Point& r, Fp2 v) {
    std::string saved = ch_.label();
    ch_.section("layer '" + n.layer + "' (" + node_type_name(n.type) + ")");
    switch (n.type) {
      case NodeType::kGemm:
        reduce_gemm(n, r, v);
        break;
      case NodeType::kConv:
        reduce_conv(n, r, v);
        break;
      case NodeType::kWindowSum:
        reduce_window(n, r, v);
        break;
      case NodeType::kChannelAffine:
        reduce_affine(n, r, v);
        break;
      case NodeType::kGather:
        reduce_gather(n, r, v);
        break;
      case NodeType::kLinComb: {
        Fp2 e = expr_claim(n.expr, r);
        check(e == v, "linear combination check failed");
        break;
      }
      default:
        check(false, "claim on a tensor without a reduction");
        break;
    }
    ch_.section(saved);
  }

  void reduce_gemm(const Node& n, const Point& r, Fp2 v) {
    int x = n.in[0], w = n.in[1], b = n.in[2];
    Fp2 bv = claim(b, r);
    resolve(b, r, bv);
    Reduced red;
    unsigned nk = c_.tensors[x].num_vars();
    if constexpr (kProver) {
      std::vector<std::vector<Fp2>> tables{fold_high_int((*v_)[w], r), to_ext((*v_)[x])};
      red.point = sumcheck_prove(ch_, tables, {{Fp2::one(), {0, 1}}}, 2);
      red.final_value = tables[0][0];  // W(s, r)
      red.tensor_value = tables[1][0];
    } else {
      auto sc = sumcheck_verify(ch_, v - bv, nk, 2);
      red.point = sc.point;
      red.final_value = sc.value;
    }
    Fp2 wv = xchg([&] { return red.final_value; });
    Fp2 xv = xchg([&] { return red.tensor_value; });
    if constexpr (!kProver) check(wv * xv == red.final_value, "sumcheck final check failed");
    resolve(w, concat(red.point, r), wv);
    resolve(x, red.point, xv);
  }

  // Spatial predicate Q(c, iy, ix) = ec(c) * Py(iy) * Px(ix) as a full table.
  std::vector<Fp2> spatial_table(const Tensor& xt, const std::vector<Fp2>& ec,
                                 const std::vector<Fp2>& py, const std::vector<Fp2>& px) {
    std::vector<Fp2> q(xt.padded_size());
    size_t lh = xt.log_dims[1], lw = xt.log_dims[2];
    for (size_t c = 0; c < ec.size(); ++c)
      for (size_t iy = 0; iy < py.size(); ++iy) {
        Fp2 cy = ec[c] * py[iy];
        for (size_t ix = 0; ix < px.size(); ++ix)
          q[(c << (lh + lw)) | (iy << lw) | ix] = cy * px[ix];
      }
    return q;
  }

  // Claim sum_{c,iy,ix} eq(rc,c) Py(iy) Px(ix) x[c,iy,ix] = g, with the axis
  // predicates built from the output-side points and kernel weights.
  void spatial_phase(const Node& n, int x, const Point& rc, const Point& ry, const Point& rx,
                     const std::vector<Fp2>* kh, const std::vector<Fp2>* kw, Fp2 g) {
    const Tensor& xt = c_.tensors[x];
    auto ey = eq_table(ry), ex = eq_table(rx);
    auto py = axis_predicate(ey, kh, n.kernel_h, n.stride_h, n.pad_h, xt.dims[1],
                             size_t{1} << xt.log_dims[1]);
    auto px = axis_predicate(ex, kw, n.kernel_w, n.stride_w, n.pad_w, xt.dims[2],
                             size_t{1} << xt.log_dims[2]);
    std::vector<Fp2> pred;
    if constexpr (kProver) pred = spatial_table(xt, eq_table(rc), py, px);
    Reduced red = pred_sumcheck(std::move(pred), x, g);
    if constexpr (!kProver) {
      unsigned lw = xt.log_dims[2], lh = xt.log_dims[1];
      Fp2 qv = eq_eval(rc, slice(red.point, lh + lw, xt.log_dims[0])) *
               mle_eval(std::span<const Fp2>(py), slice(red.point, lw, lh)) *
               mle_eval(std::span<const Fp2>(px), slice(red.point, 0, lw));
      check(qv * red.tensor_value == red.final_value, "sumcheck final check failed");
    }
    resolve(x, red.point, red.tensor_value);
  }

  void reduce_conv(const Node& n, const Point& r, Fp2 v) {
    int x = n.in[0], w = n.in[1], b = n.in[2];
    const Tensor &xt = c_.tensors[x], &ot = c_.tensors[n.out[0]], &wt = c_.tensors[w];
    unsigned low = ot.log_dims[1], lox = ot.log_dims[2];
    Point rx = slice(r, 0, lox), ry = slice(r, lox, low), ro = slice(r, lox + low, ot.log_dims[0]);
    Fp2 bv = claim(b, ro);
    resolve(b, ro, bv);
    // Phase 1: sum over (c, ky, kx) of W(ro, c, ky, kx) * G(c, ky, kx).
    unsigned n1 = wt.num_vars() - wt.log_dims[0];
    Point s1;
    Fp2 final1, wv, gv;
    if constexpr (kProver) {
      std::vector<std::vector<Fp2>> tables{fold_high_int((*v_)[w], ro), conv_g(n, xt, wt, ry, rx)};
      s1 = sumcheck_prove(ch_, tables, {{Fp2::one(), {0, 1}}}, 2);
      wv = tables[0][0];
      gv = tables[1][0];
    } else {
      auto sc = sumcheck_verify(ch_, v - bv, n1, 2);
      s1 = sc.point;
      final1 = sc.value;
    }
    wv = xchg([&] { return wv; });
    gv = xchg([&] { return gv; });
    if constexpr (!kProver) check(wv * gv == final1, "sumcheck final check failed (kernel phase)");
    resolve(w, concat(s1, ro), wv);
    // Phase 2: G(s1) as a structured sum over the input.
    unsigned lkw = wt.log_dims[3], lkh = wt.log_dims[2];
    Point skx = slice(s1, 0, lkw), sky = slice(s1, lkw, lkh),
          sc = slice(s1, lkw + lkh, wt.log_dims[1]);
    auto ekh = eq_table(sky), ekw = eq_table(skx);
    spatial_phase(n, x, sc, ry, rx, &ekh, &ekw, gv);
  }

  // G[c,ky,kx] = sum_{y,x} eq(ry,y) eq(rx,x) X[c, y*s+ky-p, x*s+kx-p] (prover only).
  std::vector<Fp2> conv_g(const Node& n, const Tensor& xt, const Tensor& wt, const Point& ry,
                          const Point& rx) {
    const auto& X = (*v_)[n.in[0]];
    auto ey = eq_table(ry), ex = eq_table(rx);
    size_t Cp = size_t{1} << xt.log_dims[0];
    size_t lh = xt.log_dims[1], lw = xt.log_dims[2];
    int64_t H = xt.dims[1], W = xt.dims[2];
    unsigned lkh = wt.log_dims[2], lkw = wt.log_dims[3];
    std::vector<Fp2> g(Cp << (lkh + lkw));
    // R[c, iy, kx] = sum_x ex[x] X[c, iy, x*s + kx - p]
    std::vector<Fp2> R(static_cast<size_t>(H) * n.kernel_w);
    for (size_t c = 0; c < Cp; ++c) {
      std::fill(R.begin(), R.end(), Fp2::zero());
      for (int64_t iy = 0; iy < H; ++iy)
        for (int64_t kx = 0; kx < n.kernel_w; ++kx) {
          Fp2 acc = Fp2::zero();
          for (size_t xx = 0; xx < ex.size(); ++xx) {
            int64_t ix = static_cast<int64_t>(xx) * n.stride_w + kx - n.pad_w;
            if (ix < 0 || ix >= W) continue;
            int64_t val = X[(c << (lh + lw)) | (static_cast<size_t>(iy) << lw) | ix];
            if (val) acc += ex[xx] * Fp::from_int(val);
          }
          R[iy * n.kernel_w + kx] = acc;
        }
      for (int64_t ky = 0; ky < n.kernel_h; ++ky)
        for (size_t y = 0; y < ey.size(); ++y) {
          int64_t iy = static_cast<int64_t>(y) * n.stride_h + ky - n.pad_h;
          if (iy < 0 || iy >= H) continue;
          for (int64_t kx = 0; kx < n.kernel_w; ++kx)
            g[(c << (lkh + lkw)) | (static_cast<size_t>(ky) << lkw) | kx] +=
                ey[y] * R[iy * n.kernel_w + kx];
        }
    }
    return g;
  }

  void reduce_window(const Node& n, const Point& r, Fp2 v) {
    const Tensor& ot = c_.tensors[n.out[0]];
    unsigned low = ot.log_dims[1], lox = ot.log_dims[2];
    spatial_phase(n, n.in[0], slice(r, lox + low, ot.log_dims[0]), slice(r, lox, low),
                  slice(r, 0, lox), nullptr, nullptr, v);
  }

  void reduce_affine(const Node& n, const Point& r, Fp2 v) {
    int x = n.in[0], a = n.in[1], b = n.in[2];
    const Tensor& xt = c_.tensors[x];
    unsigned la = c_.tensors[a].num_vars(), low = xt.num_vars() - la;
    Point rc = slice(r, low, la);
    Fp2 bv = claim(b, rc);
    resolve(b, rc, bv);
    Point s;
    Fp2 final_v, av, xv;
    if constexpr (kProver) {
      const auto& A = (*v_)[a];
      std::vector<Fp2> abig(xt.padded_size());
      for (size_t i = 0; i < abig.size(); ++i) abig[i] = Fp2::from_int(A[i >> low]);
      std::vector<std::vector<Fp2>> tables{eq_table(r), std::move(abig), to_ext((*v_)[x])};
      s = sumcheck_prove(ch_, tables, {{Fp2::one(), {0, 1, 2}}}, 3);
      av = tables[1][0];
      xv = tables[2][0];
    } else {
      auto sc = sumcheck_verify(ch_, v - bv, xt.num_vars(), 3);
      s = sc.point;
      final_v = sc.value;
    }
    av = xchg([&] { return av; });
    xv = xchg([&] { return xv; });
    if constexpr (!kProver)
      check(eq_eval(r, s) * av * xv == final_v, "sumcheck final check failed");
    resolve(a, slice(s, low, la), av);
    resolve(x, s, xv);
  }

  void reduce_gather(const Node& n, const Point& r, Fp2 v) {
    int x = n.in[0];
    const Tensor& xt = c_.tensors[x];
    auto er = eq_table(r);
    std::vector<Fp2> pred;
    if constexpr (kProver) {
      pred.assign(xt.padded_size(), Fp2::zero());
      for (size_t i = 0; i < n.map.size(); ++i)
        if (n.map[i] >= 0) pred[n.map[i]] += er[i];
    }
    Reduced red = pred_sumcheck(std::move(pred), x, v);
    if constexpr (!kProver) {
      auto es = eq_table(red.point);
      Fp2 pv = Fp2::zero();
      for (size_t i = 0; i < n.map.size(); ++i)
        if (n.map[i] >= 0) pv += er[i] * es[n.map[i]];
      check(pv * red.tensor_value == red.final_value, "sumcheck final check failed");
    }
    resolve(x, red.point, red.tensor_value);
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
  if (cheat.select_padding || cheat.shift_table) cheat.any = true;
  e.cheat_ = cheat;
  e.run(weights.tree.root(), &weights);
  ProofStream out;
  out.sections = ch.sections();
  out.bytes = ch.take_bytes();
  out.sections = ch.sections();
  return out;
}

void verify_stream(const Circuit& c, const Digest& weight_root, const Statement& st,
                   std::span<const uint8_t> bytes) {
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
}

}  // namespace zk::circuit

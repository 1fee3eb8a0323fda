// Conv and WindowSum: strided windows over [C,H,W] tensors.
//   Conv:      out[o,y,x] = sum_{c,ky,kx} W[o,c,ky,kx] x[c, y*s+ky-p, x*s+kx-p] + b[o]
//   WindowSum: out[c,y,x] = sum_{ky<KH,kx<KW} x[c, y*s+ky-p, x*s+kx-p]
// (out-of-range input positions contribute nothing; padding positions of the
// input are never read). A Conv claim is reduced in two sumchecks: over
// (c, ky, kx) of W(ro, .) * G, then G(s1) over the input itself with the
// separable predicate eq(c) Py(iy) Px(ix), which the verifier evaluates in
// O(H*KH + W*KW) — no im2col copy is ever committed. A WindowSum claim is the
// second sumcheck alone, with all-ones kernels. A DepthwiseConv (each output
// channel reads its own input channel: group = C) is the Conv with its first
// sumcheck over (channel, kernel) weighted by eq(r_c, c) instead of summed.
#include "circuit/ops/op.h"
#include "field/parallel.h"

namespace zk::circuit {

namespace {

// dw: depthwise (out channel c reads input channel c, weight [C,KH,KW]).
void execute_spatial(const Circuit& c, const Node& n, Values& v, bool conv, bool dw = false) {
  const auto& wp = n.p<WindowParams>();
  const Tensor& x = c.tensors[n.in[0]];
  const Tensor& o = c.tensors[n.out[0]];
  size_t H = x.dims[1], W = x.dims[2];
  size_t lh = x.log_dims[1], lw = x.log_dims[2];
  size_t OHp = size_t{1} << o.log_dims[1], OWp = size_t{1} << o.log_dims[2];
  size_t Op = size_t{1} << o.log_dims[0];
  size_t Cp = size_t{1} << x.log_dims[0];
  const auto& xv = v[n.in[0]];
  std::vector<int64_t> out(o.padded_size(), 0);
  const std::vector<int64_t>* wv = conv ? &v[n.in[1]] : nullptr;
  const std::vector<int64_t>* bv = conv ? &v[n.in[2]] : nullptr;
  size_t lkh = 0, lkw = 0;
  if (conv) {
    const auto& wl = c.tensors[n.in[1]].log_dims;
    lkh = wl[wl.size() - 2];
    lkw = wl.back();
  }
  // Output channels in chunks on the pool (each writes its own outputs).
  // Per output channel, each (input channel, ky, kx) adds its weight times a
  // shifted input row to every output row: the inner loop runs along a row,
  // its range clipped to the input once instead of tested per position.
  const int64_t sh = wp.stride_h, sw = wp.stride_w;
  parallel_chunks(Op, 1, [&](size_t oc_begin, size_t oc_end, unsigned) {
    std::vector<int64_t> acc(OHp * OWp);
    for (size_t oc = oc_begin; oc < oc_end; ++oc) {
      std::fill(acc.begin(), acc.end(), conv ? (*bv)[oc] : 0);
      size_t c_lo = conv && !dw ? 0 : oc, c_hi = conv && !dw ? Cp : oc + 1;
      for (size_t ci = c_lo; ci < c_hi; ++ci) {
        const int64_t* xc = xv.data() + (ci << (lh + lw));
        for (int64_t ky = 0; ky < wp.kernel_h; ++ky) {
          for (int64_t kx = 0; kx < wp.kernel_w; ++kx) {
            int64_t w = 1;
            if (conv) {
              size_t widx = dw ? ((oc << lkh | ky) << lkw) | kx
                               : (((oc << x.log_dims[0] | ci) << lkh | ky) << lkw) | kx;
              w = (*wv)[widx];
              if (w == 0) continue;
            }
            // Output columns xx with 0 <= xx*sw + kx - pad_w < W.
            int64_t off = kx - wp.pad_w;
            int64_t x_lo = off >= 0 ? 0 : (-off + sw - 1) / sw;
            int64_t x_hi = static_cast<int64_t>(W) - off <= 0
                               ? 0
                               : std::min<int64_t>(static_cast<int64_t>(OWp),
                                                   (static_cast<int64_t>(W) - off + sw - 1) / sw);
            if (x_lo >= x_hi) continue;
            for (size_t y = 0; y < OHp; ++y) {
              int64_t iy = static_cast<int64_t>(y) * sh + ky - wp.pad_h;
              if (iy < 0 || iy >= static_cast<int64_t>(H)) continue;
              const int64_t* xrow = xc + (static_cast<size_t>(iy) << lw);
              int64_t* arow = acc.data() + y * OWp;
              if (sw == 1) {
                for (int64_t xx = x_lo; xx < x_hi; ++xx) arow[xx] += w * xrow[xx + off];
              } else {
                for (int64_t xx = x_lo; xx < x_hi; ++xx) arow[xx] += w * xrow[xx * sw + off];
              }
            }
          }
        }
      }
      for (size_t y = 0; y < OHp; ++y)
        std::copy(acc.begin() + y * OWp, acc.begin() + (y + 1) * OWp,
                  out.begin() + ((oc << (o.log_dims[1] + o.log_dims[2])) | (y << o.log_dims[2])));
    }
  });
  v[n.out[0]] = std::move(out);
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

// Q(c, iy, ix) = ec(c) * Py(iy) * Px(ix) as a full table (prover).
std::vector<Fp2> spatial_table(const Tensor& xt, const std::vector<Fp2>& ec,
                               const std::vector<Fp2>& py, const std::vector<Fp2>& px) {
  std::vector<Fp2> q(xt.padded_size());
  size_t lh = xt.log_dims[1], lw = xt.log_dims[2];
  for (size_t c = 0; c < ec.size(); ++c)
    for (size_t iy = 0; iy < py.size(); ++iy) {
      Fp2 cy = ec[c] * py[iy];
      for (size_t ix = 0; ix < px.size(); ++ix) q[(c << (lh + lw)) | (iy << lw) | ix] = cy * px[ix];
    }
  return q;
}

// Claim sum_{c,iy,ix} eq(rc,c) Py(iy) Px(ix) x[c,iy,ix] = g, with the axis
// predicates built from the output-side points and kernel weights.
void spatial_phase(ReduceContext& ctx, const Node& n, int x, const Point& rc, const Point& ry,
                   const Point& rx, const std::vector<Fp2>* kh, const std::vector<Fp2>* kw, Val g) {
  const auto& wp = n.p<WindowParams>();
  const Tensor& xt = ctx.circuit().tensors[x];
  auto ey = eq_table(ry), ex = eq_table(rx);
  auto py = axis_predicate(ey, kh, wp.kernel_h, wp.stride_h, wp.pad_h, xt.dims[1],
                           size_t{1} << xt.log_dims[1]);
  auto px = axis_predicate(ex, kw, wp.kernel_w, wp.stride_w, wp.pad_w, xt.dims[2],
                           size_t{1} << xt.log_dims[2]);
  std::vector<Fp2> pred;
  if (ctx.prover()) pred = spatial_table(xt, eq_table(rc), py, px);
  auto red = predicate_sumcheck(ctx, std::move(pred), x, g);
  if (!ctx.prover()) {
    unsigned lw = xt.log_dims[2], lh = xt.log_dims[1];
    Fp2 qv = eq_eval(rc, slice(red.point, lh + lw, xt.log_dims[0])) *
             mle_eval(std::span<const Fp2>(py), slice(red.point, lw, lh)) *
             mle_eval(std::span<const Fp2>(px), slice(red.point, 0, lw));
    ctx.check_eq(qv * red.tensor_value, red.final_value, "sumcheck final check failed");
  }
  ctx.resolve(x, red.point, red.tensor_value);
}

// G[c,ky,kx] = sum_{y,x} eq(ry,y) eq(rx,x) X[c, y*s+ky-p, x*s+kx-p] (prover).
std::vector<Fp2> conv_g(const Node& n, const std::vector<int64_t>& X, const Tensor& xt,
                        const Tensor& wt, const Point& ry, const Point& rx) {
  const auto& wp = n.p<WindowParams>();
  auto ey = eq_table(ry), ex = eq_table(rx);
  size_t Cp = size_t{1} << xt.log_dims[0];
  size_t lh = xt.log_dims[1], lw = xt.log_dims[2];
  int64_t H = xt.dims[1], W = xt.dims[2];
  unsigned lkh = wt.log_dims[2], lkw = wt.log_dims[3];
  std::vector<Fp2> g(Cp << (lkh + lkw));
  // R[c, iy, kx] = sum_x ex[x] X[c, iy, x*s + kx - p]
  std::vector<Fp2> R(static_cast<size_t>(H) * wp.kernel_w);
  for (size_t c = 0; c < Cp; ++c) {
    std::fill(R.begin(), R.end(), Fp2::zero());
    for (int64_t iy = 0; iy < H; ++iy)
      for (int64_t kx = 0; kx < wp.kernel_w; ++kx) {
        Fp2 acc = Fp2::zero();
        for (size_t xx = 0; xx < ex.size(); ++xx) {
          int64_t ix = static_cast<int64_t>(xx) * wp.stride_w + kx - wp.pad_w;
          if (ix < 0 || ix >= W) continue;
          int64_t val = X[(c << (lh + lw)) | (static_cast<size_t>(iy) << lw) | ix];
          if (val) acc += ex[xx] * Fp::from_int(val);
        }
        R[iy * wp.kernel_w + kx] = acc;
      }
    for (int64_t ky = 0; ky < wp.kernel_h; ++ky)
      for (size_t y = 0; y < ey.size(); ++y) {
        int64_t iy = static_cast<int64_t>(y) * wp.stride_h + ky - wp.pad_h;
        if (iy < 0 || iy >= H) continue;
        for (int64_t kx = 0; kx < wp.kernel_w; ++kx)
          g[(c << (lkh + lkw)) | (static_cast<size_t>(ky) << lkw) | kx] +=
              ey[y] * R[iy * wp.kernel_w + kx];
      }
  }
  return g;
}

void reduce_conv(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const Circuit& c = ctx.circuit();
  int x = n.in[0], w = n.in[1], b = n.in[2];
  const Tensor &xt = c.tensors[x], &ot = c.tensors[n.out[0]], &wt = c.tensors[w];
  unsigned low = ot.log_dims[1], lox = ot.log_dims[2];
  Point rx = slice(r, 0, lox), ry = slice(r, lox, low), ro = slice(r, lox + low, ot.log_dims[0]);
  Val bv = ctx.claim(b, ro);
  ctx.resolve(b, ro, bv);
  // Phase 1: sum over (c, ky, kx) of W(ro, c, ky, kx) * G(c, ky, kx).
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover())
    tables = {fold_high_int(ctx.values(w), ro), conv_g(n, ctx.values(x), xt, wt, ry, rx)};
  auto sc = ctx.sumcheck(tables, {{Fp2::one(), {0, 1}}}, 2, v - bv, wt.num_vars() - wt.log_dims[0]);
  Val wv = ctx.exchange(ctx.prover() ? tables[0][0] : Fp2());
  Val gv = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  if (!ctx.prover())
    ctx.check_eq(wv * gv, sc.final_value, "sumcheck final check failed (kernel phase)");
  const Point& s1 = sc.point;
  ctx.resolve(w, concat(s1, ro), wv);
  // Phase 2: G(s1) as a structured sum over the input.
  unsigned lkw = wt.log_dims[3], lkh = wt.log_dims[2];
  Point skx = slice(s1, 0, lkw), sky = slice(s1, lkw, lkh),
        sch = slice(s1, lkw + lkh, wt.log_dims[1]);
  auto ekh = eq_table(sky), ekw = eq_table(skx);
  spatial_phase(ctx, n, x, sch, ry, rx, &ekh, &ekw, gv);
}

// Depthwise: out[c,y,x] = sum_{ky,kx} W[c,ky,kx] x[c, y*s+ky-p, x*s+kx-p] + b[c].
// Phase 1 is a degree-3 sumcheck over (c, ky, kx) of eq(r_c, c) W G (the
// channel is shared, not summed); phase 2 is the Conv's at the channel point.
void reduce_depthwise(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const Circuit& c = ctx.circuit();
  int x = n.in[0], w = n.in[1], b = n.in[2];
  const Tensor &xt = c.tensors[x], &ot = c.tensors[n.out[0]], &wt = c.tensors[w];
  unsigned low = ot.log_dims[1], lox = ot.log_dims[2];
  Point rx = slice(r, 0, lox), ry = slice(r, lox, low), rc = slice(r, lox + low, ot.log_dims[0]);
  Val bv = ctx.claim(b, rc);
  ctx.resolve(b, rc, bv);
  const unsigned lkh = wt.log_dims[1], lkw = wt.log_dims[2];
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover()) {
    Tensor w4 = wt;  // G's kernel layout, as conv_g reads it from a 4-D weight
    w4.log_dims = {wt.log_dims[0], xt.log_dims[0], lkh, lkw};
    const auto ec = eq_table(rc);
    std::vector<Fp2> e(wt.padded_size());
    for (size_t i = 0; i < e.size(); ++i) e[i] = ec[i >> (lkh + lkw)];
    tables = {std::move(e), to_ext(ctx.values(w)), conv_g(n, ctx.values(x), xt, w4, ry, rx)};
  }
  auto sc = ctx.sumcheck(tables, {{Fp2::one(), {0, 1, 2}}}, 3, v - bv, wt.num_vars());
  Val wv = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  Val gv = ctx.exchange(ctx.prover() ? tables[2][0] : Fp2());
  const Point sk = slice(sc.point, 0, lkh + lkw), sch = slice(sc.point, lkh + lkw, wt.log_dims[0]);
  if (!ctx.prover())
    ctx.check_eq(eq_eval(rc, sch) * wv * gv, sc.final_value,
                 "sumcheck final check failed (kernel phase)");
  ctx.resolve(w, sc.point, wv);
  auto ekh = eq_table(slice(sk, lkw, lkh)), ekw = eq_table(slice(sk, 0, lkw));
  spatial_phase(ctx, n, x, sch, ry, rx, &ekh, &ekw, gv);
}

void reduce_window(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const Tensor& ot = ctx.circuit().tensors[n.out[0]];
  unsigned low = ot.log_dims[1], lox = ot.log_dims[2];
  spatial_phase(ctx, n, n.in[0], slice(r, lox + low, ot.log_dims[0]), slice(r, lox, low),
                slice(r, 0, lox), nullptr, nullptr, v);
}

void execute_conv(const Circuit& c, const Node& n, Values& v) { execute_spatial(c, n, v, true); }
void execute_window(const Circuit& c, const Node& n, Values& v) { execute_spatial(c, n, v, false); }

// Window parameters and the [C,H,W] shapes both ops share.
void validate_window(const Circuit& c, const Node& n, const std::string& where) {
  const Tensor &x = node_input(c, n, 0, where), &o = c.tensors[n.out[0]];
  const auto& wp = n.p<WindowParams>();
  if (x.dims.size() != 3 || o.dims.size() != 3) bad_node(where, "expects [C,H,W] tensors");
  if (wp.stride_h < 1 || wp.stride_w < 1 || wp.stride_h > 64 || wp.stride_w > 64 || wp.pad_h < 0 ||
      wp.pad_w < 0 || wp.pad_h > 4096 || wp.pad_w > 4096 || wp.kernel_h < 1 || wp.kernel_w < 1 ||
      wp.kernel_h > 4096 || wp.kernel_w > 4096)
    bad_node(where, "window parameters out of range");
  // The verifier's work for the window predicates: output rows times
  // kernel, and eq tables over each axis.
  if ((int64_t{1} << o.log_dims[1]) * wp.kernel_h > (int64_t{1} << 24) ||
      (int64_t{1} << o.log_dims[2]) * wp.kernel_w > (int64_t{1} << 24) || x.log_dims[1] > 24 ||
      x.log_dims[2] > 24)
    bad_node(where, "window too large to verify");
}

class ConvOp final : public OpDef {
 public:
  const char* name() const override { return "Conv"; }
  bool derived() const override { return true; }
  NodeParams default_params() const override { return WindowParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    validate_window(c, n, where);
    const Tensor &x = c.tensors[n.in[0]], &o = c.tensors[n.out[0]];
    const Tensor &w = node_input(c, n, 1, where), &b = node_input(c, n, 2, where);
    const auto& wp = n.p<WindowParams>();
    if (!is_weight(w) || !is_weight(b) || w.log_dims.size() != 4 ||
        w.log_dims[1] != x.log_dims[0] || w.log_dims[0] != o.log_dims[0] ||
        b.log_dims != std::vector<uint32_t>{o.log_dims[0]} ||
        wp.kernel_h > (int64_t{1} << w.log_dims[2]) || wp.kernel_w > (int64_t{1} << w.log_dims[3]))
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_conv(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = matrix_bound(c, n, w, b);
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_conv(ctx, n, r, v);
  }
};

class DepthwiseConvOp final : public OpDef {
 public:
  const char* name() const override { return "DepthwiseConv"; }
  bool derived() const override { return true; }
  NodeParams default_params() const override { return WindowParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    validate_window(c, n, where);
    const Tensor &x = c.tensors[n.in[0]], &o = c.tensors[n.out[0]];
    const Tensor &w = node_input(c, n, 1, where), &b = node_input(c, n, 2, where);
    const auto& wp = n.p<WindowParams>();
    if (!is_weight(w) || !is_weight(b) || w.log_dims.size() != 3 ||
        w.log_dims[0] != x.log_dims[0] || o.log_dims[0] != x.log_dims[0] ||
        b.log_dims != std::vector<uint32_t>{o.log_dims[0]} ||
        wp.kernel_h > (int64_t{1} << w.log_dims[1]) || wp.kernel_w > (int64_t{1} << w.log_dims[2]))
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override {
    execute_spatial(c, n, v, true, true);
  }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = matrix_bound(c, n, w, b);
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_depthwise(ctx, n, r, v);
  }
};

class WindowSumOp final : public OpDef {
 public:
  const char* name() const override { return "WindowSum"; }
  bool derived() const override { return true; }
  NodeParams default_params() const override { return WindowParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    validate_window(c, n, where);
    if (c.tensors[n.out[0]].log_dims[0] != c.tensors[n.in[0]].log_dims[0])
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override {
    execute_window(c, n, v);
  }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    const auto& wp = n.p<WindowParams>();
    b[n.out[0]] = static_cast<double>(wp.kernel_h * wp.kernel_w) * b[n.in[0]];
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_window(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& conv_op() {
  static const ConvOp op;
  return op;
}
const OpDef& depthwise_conv_op() {
  static const DepthwiseConvOp op;
  return op;
}
const OpDef& window_sum_op() {
  static const WindowSumOp op;
  return op;
}

}  // namespace zk::circuit

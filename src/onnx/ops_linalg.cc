// Linear algebra: Gemm, MatMul and Einsum (matrix-product forms). One row
// times a constant matrix stays the flat Gemm (model OpKind::kGemm); any
// number of leading (token, batch) rows, and the product of two
// activations, become OpKind::kMatMul; transposes are Transpose/Reshape
// views (free until an op needs the layout).
#include <algorithm>
#include <map>

#include "onnx/linalg.h"

namespace zk::onnx::conv {

Shape squeeze_ones(const Shape& s) {
  Shape out;
  for (auto d : s)
    if (d != 1) out.push_back(d);
  return out;
}

// Emits value x (full shape `in`) permuted by `perm` (over full axes) as
// ONNX value `out_name`: a Reshape onto the non-unit axes, a Transpose of
// those, a Reshape to the permuted shape. Returns the value id.
int emit_permute(Importer& im, const Node& n, int x, const Shape& perm, const std::string& out_name,
                 const std::string& tag) {
  const Shape in = im.full(x);
  Shape out(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) out[i] = in[perm[i]];
  // The non-unit axes in input order, and their order after the permutation.
  std::vector<int64_t> pos(in.size(), -1);
  Shape sq_in;
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] != 1) pos[i] = static_cast<int64_t>(sq_in.size()), sq_in.push_back(in[i]);
  Shape sq_perm;
  for (auto p : perm)
    if (pos[p] >= 0) sq_perm.push_back(pos[p]);
  bool identity = true;
  for (size_t i = 0; i < sq_perm.size(); ++i) identity = identity && sq_perm[i] == int64_t(i);
  if (identity) {
    if (out == in) return x;
    return im.emit(make(im, n, OpKind::kReshape, {x}, "/" + tag), out_name, out);
  }
  Shape sq_full = {1}, sq_out = {1};
  for (auto d : sq_in) sq_full.push_back(d);
  for (auto p : sq_perm) sq_out.push_back(sq_in[p]);
  int v = x;
  if (in != sq_full)
    v = im.emit(make(im, n, OpKind::kReshape, {v}, "/" + tag + "_in"), out_name + "/zk_sq",
                sq_full);
  FNode t = make(im, n, OpKind::kTranspose, {v}, "/" + tag);
  t.perm = sq_perm;
  if (out == sq_out) return im.emit(std::move(t), out_name, out);
  v = im.emit(std::move(t), out_name + "/zk_t", sq_out);
  return im.emit(make(im, n, OpKind::kReshape, {v}, "/" + tag + "_out"), out_name, out);
}

int emit_reshape_to(Importer& im, const Node& n, int x, const Shape& out, const std::string& name,
                    const std::string& tag) {
  if (im.full(x) == out) return x;
  return im.emit(make(im, n, OpKind::kReshape, {x}, "/" + tag), name, out);
}

// A bias constant that broadcasts to [N] along the last axis, times scale.
FTensor last_axis_bias(const Importer& im, const Node& n, const Const& c, int64_t N, float scale) {
  const Shape sq = squeeze_ones(c.shape);
  if (c.numel() != 1 && (sq != Shape{N} || c.shape.back() != N)) {
    im.fail(n, "bias of shape " + shape_str(c.shape) + " does not broadcast to [" +
                   std::to_string(N) + "] (a bias per output column)");
  }
  FTensor b{{N}, std::vector<float>(N)};
  for (int64_t k = 0; k < N; ++k) b.data[k] = scale * c.f[c.numel() == 1 ? 0 : k];
  return b;
}

// The flat Gemm of one row: x [1,K] (or any shape of K elements) times W.
void emit_row_gemm(Importer& im, const Node& n, int x, const std::vector<float>& w_kn, int64_t K,
                   int64_t N, FTensor bias, const Shape& out_full) {
  FNode f = make(im, n, OpKind::kGemm, {x});
  f.weight = FTensor{{N, K}, std::vector<float>(N * K)};
  for (int64_t i = 0; i < N; ++i)
    for (int64_t k = 0; k < K; ++k) f.weight.data[i * K + k] = w_kn[k * N + i];
  f.bias = bias.data.empty() ? FTensor{{N}, std::vector<float>(N, 0.f)} : std::move(bias);
  if (logical_of(out_full) == Shape{N}) {
    im.emit(std::move(f), n.output(0), out_full);
    return;
  }
  const int g = im.emit(std::move(f), n.output(0) + "/zk_gemm", {1, N});
  im.emit(make(im, n, OpKind::kReshape, {g}, "/reshape"), n.output(0), out_full);
}

// x [..., K] times the constant w [K, N] (+ bias): [..., N] as `out_name`.
int emit_const_matmul(Importer& im, const Node& n, int x, std::vector<float> w_kn, int64_t N,
                      FTensor bias, const std::string& out_name) {
  const Shape xs = im.full(x);
  const int64_t K = xs.back();
  Shape out = xs;
  out.back() = N;
  if (numel_of(xs) == K && out_name == n.output(0)) {
    emit_row_gemm(im, n, x, w_kn, K, N, std::move(bias), out);
    return -1;
  }
  FNode f = make(im, n, OpKind::kMatMul, {x});
  f.weight = FTensor{{K, N}, std::move(w_kn)};
  f.bias = std::move(bias);
  return im.emit(std::move(f), out_name, out);
}

// a [..., I, K] times b [..., K, J] (activations): batch axes equal, or
// all 1 on one side (broadcast).
int emit_act_matmul(Importer& im, const Node& n, int a, int b, float alpha, FTensor bias,
                    const std::string& out_name) {
  const Shape as = im.full(a), bs = im.full(b);
  if (as.size() < 2 || bs.size() < 2 || as.back() != bs[bs.size() - 2]) {
    im.fail(n, "operands of shapes " + shape_str(as) + " and " + shape_str(bs) +
                   " do not multiply (expected [..., I, K] and [..., K, J])");
  }
  const Shape ba(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2);
  Shape batch;
  if (numel_of(bb) == 1 && ba.size() >= bb.size()) {
    batch = ba;
  } else if (numel_of(ba) == 1 && bb.size() >= ba.size()) {
    batch = bb;
  } else if (squeeze_ones(ba) == squeeze_ones(bb)) {
    batch = ba.size() >= bb.size() ? ba : bb;
  } else {
    im.fail(n, "batch dimensions " + shape_str(ba) + " and " + shape_str(bb) +
                   " are not supported (they must be equal, or absent on one side)");
  }
  Shape out = batch;
  out.push_back(as[as.size() - 2]);
  out.push_back(bs.back());
  FNode f = make(im, n, OpKind::kMatMul, {a, b});
  if (alpha != 1.0f) f.attrs = {alpha};
  f.bias = std::move(bias);
  return im.emit(std::move(f), out_name, out);
}

// The constant b ([K, N], or its transpose) as row-major [K, N] values times alpha.
std::vector<float> const_kn(const Const& B, bool trans, float alpha) {
  const int64_t K = trans ? B.shape[1] : B.shape[0], N = trans ? B.shape[0] : B.shape[1];
  std::vector<float> w(K * N);
  for (int64_t k = 0; k < K; ++k)
    for (int64_t j = 0; j < N; ++j) w[k * N + j] = alpha * B.f[trans ? j * K + k : k * N + j];
  return w;
}

void conv_gemm(Importer& im, const Node& n) {
  const bool ta = im.attr_int(n, "transA", 0) != 0, tb = im.attr_int(n, "transB", 0) != 0;
  const float alpha = im.attr_float(n, "alpha", 1.0f), beta = im.attr_float(n, "beta", 1.0f);
  int x = im.act(n, 0, "A");
  if (im.full(x).size() != 2) im.fail(n, "input A must be 2-D, got " + shape_str(im.full(x)));
  if (ta) x = emit_permute(im, n, x, {1, 0}, n.output(0) + "/zk_At", "transA");
  const int64_t M = im.full(x)[0], K = im.full(x)[1];
  const Sym& bsym = im.sym(n, 1);
  const Shape bshape = bsym.is_const() ? bsym.c->shape : im.full(bsym.value);
  if (bshape.size() != 2) im.fail(n, "input B must be 2-D, got " + shape_str(bshape));
  const int64_t N = tb ? bshape[0] : bshape[1];
  if ((tb ? bshape[1] : bshape[0]) != K) {
    im.fail(n, "input A of shape " + shape_str(im.full(x)) + " does not match B of shape " +
                   shape_str(bshape) + (tb ? " (transB = 1)" : ""));
  }
  FTensor bias;
  int c_act = -1;  // C computed from the input: added after the product
  if (im.has_input(n, 2) && beta != 0.0f) {
    const Sym& c = im.sym(n, 2);
    if (c.is_const()) {
      bias = last_axis_bias(im, n, *c.c, N, beta);
    } else {
      c_act = im.act(n, 2, "C");
      // C broadcasts to [M, N] (unidirectionally): added as a tensor.
      const Shape cs = im.full(c_act), out = {M, N};
      bool fits = cs.size() <= 2;
      for (size_t k = 0; fits && k < cs.size(); ++k)
        fits = cs[cs.size() - 1 - k] == 1 || cs[cs.size() - 1 - k] == out[1 - k];
      if (!fits)
        im.fail(n, "a non-constant C must broadcast to the output's shape " + shape_str(out) +
                       ", got " + shape_str(cs));
      if (beta != 1.0f) {
        FNode fb = make(im, n, OpKind::kChannelAffine, {c_act}, "/beta");
        fb.weight = FTensor{{1}, {beta}};
        fb.bias = FTensor{{1}, {0.0f}};
        c_act = im.emit(std::move(fb), n.output(0) + "/zk_beta_c", cs);
      }
    }
  }
  const std::string prod_name = c_act >= 0 ? n.output(0) + "/zk_mm" : n.output(0);
  int prod;
  if (bsym.is_const()) {
    prod = emit_const_matmul(im, n, x, const_kn(*bsym.c, tb, alpha), N, std::move(bias), prod_name);
  } else {
    int b = im.act(n, 1, "B");
    if (tb) b = emit_permute(im, n, b, {1, 0}, n.output(0) + "/zk_Bt", "transB");
    prod = emit_act_matmul(im, n, x, b, alpha, std::move(bias), prod_name);
  }
  if (c_act >= 0) im.emit(make(im, n, OpKind::kAdd, {prod, c_act}, "/add_c"), n.output(0), {M, N});
}

void conv_matmul(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "left operand A");
  const Sym& bsym = im.sym(n, 1);
  if (bsym.is_const()) {
    const Const& B = *bsym.c;
    if (B.shape.size() != 2)
      im.fail(n, "constant right operand must be 2-D, got " + shape_str(B.shape));
    const Shape& xs = im.full(x);
    if (xs.empty() || xs.back() != B.shape[0]) {
      im.fail(n, "left operand of shape " + shape_str(xs) + " does not match the right operand " +
                     shape_str(B.shape));
    }
    emit_const_matmul(im, n, x, B.f, B.shape[1], FTensor{}, n.output(0));
    return;
  }
  emit_act_matmul(im, n, x, im.act(n, 1, "right operand B"), 1.0f, FTensor{}, n.output(0));
}

// x + c (or x - c) with c a bias per output column, after a MatMul with a
// constant right operand whose only consumer this is: folded into its bias.
bool fold_matmul_bias(Importer& im, const Node& n) {
  if (n.input_size() != 2 || (n.op_type() != "Add" && n.op_type() != "Sub")) return false;
  const Sym &a = im.sym(n, 0), &b = im.sym(n, 1);
  if (a.is_const() == b.is_const() || (n.op_type() == "Sub" && a.is_const())) return false;
  const int xi = a.is_const() ? 1 : 0;
  if (!im.exclusive(n, xi)) return false;
  const int x = im.sym(n, xi).value;
  model::FNode* p = im.producer(x);
  if (!p || p->kind != OpKind::kMatMul || p->inputs.size() != 1) return false;
  const Const& c = *im.sym(n, 1 - xi).c;
  const int64_t N = p->weight.shape[1];
  if (c.shape.size() > im.full(x).size()) return false;
  if (c.numel() != 1 && (squeeze_ones(c.shape) != Shape{N} || c.shape.back() != N)) return false;
  if (p->bias.data.empty()) p->bias = FTensor{{N}, std::vector<float>(N, 0.f)};
  const float sign = n.op_type() == "Sub" ? -1.f : 1.f;
  for (int64_t j = 0; j < N; ++j) p->bias.data[j] += sign * c.f[c.numel() == 1 ? 0 : j];
  im.rebind_value(x, n.output(0));
  return true;
}

}  // namespace zk::onnx::conv

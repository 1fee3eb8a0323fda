// Lowering of the linear layers: Gemm, Conv, per-channel affine maps and
// residual adds, each a derived tensor and a requantization.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/activations.h"
#include "poly/mle.h"
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

void Lowering::lower_gemm(int idx) {
  const FNode& n = g_.nodes[idx];
  Handle h = handles_[n.inputs[0]];
  auto m = flat_map(h);
  const Tensor xt = c_.tensors[h.tensor];  // a copy: add_tensor grows c_.tensors
  int64_t N = n.weight.shape[0], K = n.weight.shape[1];
  if (K != static_cast<int64_t>(m.size()))
    unsupported(n, "weight expects " + std::to_string(K) + " inputs but the input has " +
                       std::to_string(m.size()) + " elements");
  int s_x = xt.scale;
  int s_w = fit_weight_scale(n.weight.data, s_x, n.output);
  size_t Kp = xt.padded_size();
  std::vector<int64_t> wdims{N, static_cast<int64_t>(Kp)};
  Tensor tmp;
  tmp.dims = wdims;
  tmp.log_dims = {log2_exact(N), xt.num_vars()};
  size_t Np = size_t{1} << tmp.log_dims[0];
  std::vector<int64_t> w(Np * Kp, 0), b(Np, 0);
  for (int64_t i = 0; i < N; ++i)
    for (int64_t k = 0; k < K; ++k) w[i * Kp + m[k]] += round_scaled(n.weight.data[i * K + k], s_w);
  for (int64_t i = 0; i < N; ++i)
    b[i] = n.bias.data.empty() ? 0 : round_scaled(n.bias.data[i], s_x + s_w);
  int wt = add_tensor(n.name + ".weight", wdims, s_w, TensorKind::kWeight, tmp.log_dims);
  weights_[wt] = std::move(w);
  int bt = add_weight(n.name + ".bias", {N}, std::move(b));
  int acc = add_tensor(n.name + ".acc", {N}, s_x + s_w, TensorKind::kDerived);
  Node node;
  node.type = NodeType::kGemm;
  node.layer = n.name;
  node.in = {h.tensor, wt, bt};
  node.out = {acc};
  add_node(std::move(node));
  finish_linear(idx, acc, s_x + s_w);
}

void Lowering::lower_conv(int idx) {
  if (lower_depthwise(idx)) return;
  const FNode& n = g_.nodes[idx];
  int x = materialize(n.inputs[0], n.name);
  const Tensor xt = c_.tensors[x];
  if (xt.dims.size() != 3) unsupported(n, "Conv input must be [C,H,W]");
  int64_t O = n.weight.shape[0], C = n.weight.shape[1], KH = n.weight.shape[2],
          KW = n.weight.shape[3];
  if (C != xt.dims[0]) unsupported(n, "weight channels do not match the input");
  // Only the leading pads enter the index map (iy = y*s + ky - top); the
  // trailing ones are implied by the output shape.
  const auto& os = g_.values[n.output].shape;
  int s_x = xt.scale;
  int s_w = fit_weight_scale(n.weight.data, s_x, n.output);
  std::vector<int64_t> wdims{O, C, KH, KW};
  std::vector<uint32_t> wl{log2_exact(O), xt.log_dims[0], log2_exact(KH), log2_exact(KW)};
  Tensor tmp;
  tmp.dims = wdims;
  tmp.log_dims = wl;
  std::vector<int64_t> w(tmp.padded_size(), 0), b(size_t{1} << wl[0], 0);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t ci = 0; ci < C; ++ci)
      for (int64_t ky = 0; ky < KH; ++ky)
        for (int64_t kx = 0; kx < KW; ++kx)
          w[circuit::padded_index(tmp, {o, ci, ky, kx})] =
              round_scaled(n.weight.data[((o * C + ci) * KH + ky) * KW + kx], s_w);
  for (int64_t o = 0; o < O; ++o)
    b[o] = n.bias.data.empty() ? 0 : round_scaled(n.bias.data[o], s_x + s_w);
  int wt = add_tensor(n.name + ".weight", wdims, s_w, TensorKind::kWeight, wl);
  weights_[wt] = std::move(w);
  int bt = add_weight(n.name + ".bias", {O}, std::move(b));
  int acc = add_tensor(n.name + ".acc", os, s_x + s_w, TensorKind::kDerived);
  Node node;
  node.type = NodeType::kConv;
  node.layer = n.name;
  node.in = {x, wt, bt};
  node.out = {acc};
  node.params = circuit::WindowParams{n.strides[0], n.strides[1], n.pads[0], n.pads[1], KH, KW};
  add_node(std::move(node));
  finish_linear(idx, acc, s_x + s_w);
}

void Lowering::lower_affine(int idx) {
  const FNode& n = g_.nodes[idx];
  int x = materialize(n.inputs[0], n.name);
  const Tensor xt = c_.tensors[x];
  // Per channel (the first dimension), or per element for a constant that
  // broadcasts along other axes (then the weights have x's whole layout).
  const int64_t N = xt.numel();
  const bool per_elem = xt.dims[0] != N && (static_cast<int64_t>(n.weight.data.size()) == N ||
                                            static_cast<int64_t>(n.bias.data.size()) == N);
  int64_t C = per_elem ? N : xt.dims[0];
  std::vector<float> a = n.weight.data, bb = n.bias.data;
  if (a.size() == 1) a.assign(C, a[0]);
  if (bb.empty()) bb.assign(C, 0.f);
  if (bb.size() == 1) bb.assign(C, bb[0]);
  if (static_cast<int64_t>(a.size()) != C || static_cast<int64_t>(bb.size()) != C)
    unsupported(n, "per-channel constant does not match the channel count");
  int s_x = xt.scale;
  // The ids of an embedding lookup (onnx/ops_embed.cc) must stay integers.
  if (n.onnx_op == "Gather" && s_x < 0)
    unsupported(n,
                "the ids of this embedding lookup do not fit the lookup tables even at 2^18 rows "
                "(at most 52428 rows are supported)");
  int s_w = fit_weight_scale(a, s_x, n.output, /*elementwise=*/true);
  std::vector<int64_t> dims = per_elem ? xt.dims : std::vector<int64_t>{C};
  std::vector<uint32_t> ld = per_elem ? xt.log_dims : std::vector<uint32_t>{xt.log_dims[0]};
  // Padded position of each value: a channel, or an element of x.
  std::vector<int64_t> pos(C);
  for (int64_t i = 0; i < C; ++i) pos[i] = i;
  if (per_elem) pos = flat_map(Handle{x, xt.dims, {}});
  size_t Cp = size_t{1} << std::accumulate(ld.begin(), ld.end(), 0u);
  std::vector<int64_t> av(Cp, 0), bv(Cp, 0);
  for (int64_t i = 0; i < C; ++i) {
    av[pos[i]] = round_scaled(a[i], s_w);
    bv[pos[i]] = round_scaled(bb[i], s_x + s_w);
  }
  int at = add_tensor(n.name + ".scale", dims, s_w, TensorKind::kWeight, ld);
  weights_[at] = std::move(av);
  int bt = add_tensor(n.name + ".bias", dims, s_x + s_w, TensorKind::kWeight, ld);
  weights_[bt] = std::move(bv);
  int acc = add_tensor(n.name + ".acc", xt.dims, s_x + s_w, TensorKind::kDerived, xt.log_dims);
  Node node;
  node.type = NodeType::kChannelAffine;
  node.layer = n.name;
  node.in = {x, at, bt};
  node.out = {acc};
  add_node(std::move(node));
  finish_linear(idx, acc, s_x + s_w);
}

void Lowering::lower_add(int idx) {
  const FNode& n = g_.nodes[idx];
  int a = materialize(n.inputs[0], n.name), b = materialize(n.inputs[1], n.name);
  // Copies: add_tensor below grows c_.tensors, which would leave references
  // into it dangling.
  const Tensor at = c_.tensors[a], bt = c_.tensors[b];
  if (at.dims != bt.dims || at.log_dims != bt.log_dims)
    unsupported(n, "Add operands differ in shape");
  int s = std::max(at.scale, bt.scale);
  int acc = add_tensor(n.name + ".sum", at.dims, s, TensorKind::kDerived, at.log_dims);
  Node node;
  node.type = NodeType::kLinComb;
  node.layer = n.name;
  node.in = {a, b};
  node.out = {acc};
  node.p<circuit::LinCombParams>().expr.terms = {Term{a, int64_t{1} << (s - at.scale)},
                                                 Term{b, int64_t{1} << (s - bt.scale)}};
  add_node(std::move(node));
  finish_linear(idx, acc, s);
}

}  // namespace zk::quant

// Lowering of a Conv whose every output channel reads only its own input
// channel (a depthwise Conv: group = C, and a batch of images as channels)
// to the DepthwiseConv circuit op: weights [C,KH,KW] instead of the dense
// block-diagonal [C,C,KH,KW], and a kernel-phase sumcheck over the kernel
// only. Exact: the dense kernel is zero off the diagonal.
#include "poly/mle.h"
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

bool Lowering::lower_depthwise(int idx) {
  const FNode& n = g_.nodes[idx];
  const auto& ws = n.weight.shape;
  if (ws.size() != 4 || ws[0] != ws[1] || ws[0] < 2) return false;
  const int64_t C = ws[0], KH = ws[2], KW = ws[3];
  for (int64_t o = 0; o < C; ++o)
    for (int64_t ci = 0; ci < C; ++ci)
      for (int64_t k = 0; ci != o && k < KH * KW; ++k)
        if (n.weight.data[(o * C + ci) * KH * KW + k] != 0.0f) return false;
  int x = materialize(n.inputs[0], n.name);
  const Tensor xt = c_.tensors[x];  // a copy: add_tensor grows c_.tensors
  if (xt.dims.size() != 3 || xt.dims[0] != C) return false;
  const auto& os = g_.values[n.output].shape;
  const int s_x = xt.scale;
  std::vector<float> diag(C * KH * KW);
  for (int64_t c = 0; c < C; ++c)
    for (int64_t k = 0; k < KH * KW; ++k)
      diag[c * KH * KW + k] = n.weight.data[(c * C + c) * KH * KW + k];
  const int s_w = fit_weight_scale(diag, s_x, n.output);
  const std::vector<uint32_t> wl{xt.log_dims[0], log2_exact(KH), log2_exact(KW)};
  std::vector<int64_t> w(size_t{1} << (wl[0] + wl[1] + wl[2]), 0), b(size_t{1} << wl[0], 0);
  for (int64_t c = 0; c < C; ++c) {
    for (int64_t ky = 0; ky < KH; ++ky)
      for (int64_t kx = 0; kx < KW; ++kx)
        w[(((c << wl[1]) + ky) << wl[2]) + kx] = round_scaled(diag[(c * KH + ky) * KW + kx], s_w);
    b[c] = n.bias.data.empty() ? 0 : round_scaled(n.bias.data[c], s_x + s_w);
  }
  int wt = add_tensor(n.name + ".weight", {C, KH, KW}, s_w, TensorKind::kWeight, wl);
  weights_[wt] = std::move(w);
  int bt = add_weight(n.name + ".bias", {C}, std::move(b));
  int acc = add_tensor(n.name + ".acc", os, s_x + s_w, TensorKind::kDerived);
  Node node;
  node.type = NodeType::kDepthwiseConv;
  node.layer = n.name;
  node.in = {x, wt, bt};
  node.out = {acc};
  node.params = circuit::WindowParams{n.strides[0], n.strides[1], n.pads[0], n.pads[1], KH, KW};
  add_node(std::move(node));
  finish_linear(idx, acc, s_x + s_w);
  return true;
}

}  // namespace zk::quant

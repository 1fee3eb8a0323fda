// Lowering of pooling: average pooling as a window sum and a reciprocal,
// max pooling as pairwise maxima (halving windows) or running maxima.
#include <algorithm>
#include <cmath>

#include "model/activations.h"
#include "poly/mle.h"
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

namespace {

// Tap k of a window starting at `start` with dilation d over [0, len): itself
// when inside, else the nearest tap of the same window that is (so padding
// never wins a max); -1 when no tap is inside.
int64_t window_tap(int64_t start, int64_t k, int64_t d, int64_t K, int64_t len) {
  const int64_t t = start + k * d;
  if (t >= 0 && t < len) return t;
  int64_t best = -1;
  for (int64_t j = 0; j < K; ++j) {
    const int64_t u = start + j * d;
    if (u < 0 || u >= len) continue;
    if (best < 0 || std::abs(u - t) < std::abs(best - t)) best = u;
  }
  return best;
}

}  // namespace

void Lowering::lower_avgpool(int idx) {
  const FNode& n = g_.nodes[idx];
  int x = materialize(n.inputs[0], n.name);
  const Tensor xt = c_.tensors[x];
  if (xt.dims.size() != 3) unsupported(n, "pooling input must be [C,H,W]");
  Node node;
  node.type = NodeType::kWindowSum;
  node.layer = n.name;
  node.in = {x};
  bool pure_pad = false;
  auto& win = node.p<circuit::WindowParams>();
  if (n.kind == OpKind::kGlobalAvgPool) {
    win.kernel_h = xt.dims[1];
    win.kernel_w = xt.dims[2];
  } else {
    win = {n.strides[0], n.strides[1], n.pads[0], n.pads[1], n.kernel[0], n.kernel[1]};
    pure_pad = win.kernel_h == 1 && win.kernel_w == 1 && win.stride_h == 1 && win.stride_w == 1;
  }
  const auto& os = g_.values[n.output].shape;
  int acc = add_tensor(n.name + (pure_pad ? "" : ".sum"), os, xt.scale, TensorKind::kDerived);
  node.out = {acc};
  add_node(std::move(node));
  if (pure_pad) {
    handles_[n.output] = {acc, os, {}};
    return;
  }
  bool padded =
      n.kind != OpKind::kGlobalAvgPool && (n.pads[0] || n.pads[1] || n.pads[2] || n.pads[3]);
  if (padded && !n.count_include_pad) {
    // Border windows hold fewer elements: divide each position by its own
    // count, a per-position fixed-point multiplier (a ChannelAffine whose
    // scale covers the whole [C,OH,OW] shape).
    const int m = static_cast<int>(opt_.table_bits);
    const Tensor at = c_.tensors[acc];
    std::vector<int64_t> mult(at.padded_size(), 0), zero(at.padded_size(), 0);
    for (int64_t ch = 0; ch < at.dims[0]; ++ch)
      for (int64_t y = 0; y < at.dims[1]; ++y)
        for (int64_t x2 = 0; x2 < at.dims[2]; ++x2) {
          auto span = [](int64_t o, int64_t s, int64_t p, int64_t k, int64_t len) {
            int64_t lo = std::max<int64_t>(0, o * s - p), hi = std::min(len, o * s - p + k);
            return std::max<int64_t>(0, hi - lo);
          };
          int64_t cnt = span(y, n.strides[0], n.pads[0], n.kernel[0], xt.dims[1]) *
                        span(x2, n.strides[1], n.pads[1], n.kernel[1], xt.dims[2]);
          mult[circuit::padded_index(at, {ch, y, x2})] =
              cnt ? std::llround(std::ldexp(1.0 / static_cast<double>(cnt), m)) : 0;
        }
    int a = add_tensor(n.name + ".divisor", at.dims, m, TensorKind::kWeight, at.log_dims);
    weights_[a] = std::move(mult);
    int b = add_tensor(n.name + ".zero", at.dims, 0, TensorKind::kWeight, at.log_dims);
    weights_[b] = std::move(zero);
    int mean =
        add_tensor(n.name + ".mean", at.dims, xt.scale + m, TensorKind::kDerived, at.log_dims);
    Node an;
    an.type = NodeType::kChannelAffine;
    an.layer = n.name;
    an.in = {acc, a, b};
    an.out = {mean};
    add_node(std::move(an));
    finish_linear(idx, mean, xt.scale + m);
    return;
  }
  double count = static_cast<double>(n.kind == OpKind::kGlobalAvgPool ? xt.dims[1] * xt.dims[2]
                                                                      : n.kernel[0] * n.kernel[1]);
  finish_linear(idx, acc, xt.scale, 1.0 / count);
}

// Any window, stride and padding: one gathered view of the input per
// window offset (positions in the padding are clamped to the nearest row
// or column of the same window, so padding never wins, as with ONNX's
// -inf), folded with committed running maxima m = max(prev, view).
void Lowering::lower_general_maxpool(const FNode& n, int x) {
  const Tensor xt = c_.tensors[x];
  const std::vector<int64_t> dil = n.dilations.empty() ? std::vector<int64_t>{1, 1} : n.dilations;
  const auto& os = g_.values[n.output].shape;
  int relu = relu_table();
  int prev = -1;
  for (int64_t ky = 0; ky < n.kernel[0]; ++ky) {
    for (int64_t kx = 0; kx < n.kernel[1]; ++kx) {
      int view = add_tensor(
          g_.values[n.output].name + ".view" + std::to_string(ky) + "_" + std::to_string(kx), os,
          xt.scale, TensorKind::kDerived);
      const Tensor vt = c_.tensors[view];
      Node gn;
      gn.type = NodeType::kGather;
      gn.layer = n.name;
      gn.in = {x};
      gn.out = {view};
      auto& map = gn.p<circuit::GatherParams>().map;
      map.assign(vt.padded_size(), -1);
      for (int64_t ch = 0; ch < os[0]; ++ch)
        for (int64_t y = 0; y < os[1]; ++y)
          for (int64_t x2 = 0; x2 < os[2]; ++x2) {
            int64_t iy =
                window_tap(y * n.strides[0] - n.pads[0], ky, dil[0], n.kernel[0], xt.dims[1]);
            int64_t ix =
                window_tap(x2 * n.strides[1] - n.pads[1], kx, dil[1], n.kernel[1], xt.dims[2]);
            if (iy < 0 || ix < 0) unsupported(n, "a pooling window without any input position");
            map[circuit::padded_index(vt, {ch, y, x2})] =
                static_cast<int64_t>(circuit::padded_index(xt, {ch, iy, ix}));
          }
      add_node(std::move(gn));
      if (prev < 0) {
        prev = view;
        continue;
      }
      int m = add_tensor(
          g_.values[n.output].name + ".max" + std::to_string(ky) + "_" + std::to_string(kx), os,
          xt.scale, TensorKind::kWitness);
      Node mn;
      mn.type = NodeType::kMaxStep;
      mn.layer = n.name;
      mn.in = {prev, view};
      mn.out = {m};
      mn.params = circuit::MaxParams{0, relu};
      add_node(std::move(mn));
      prev = m;
    }
  }
  handles_[n.output] = {prev, c_.tensors[prev].dims, {}};
}

int Lowering::halve_max(const std::string& layer, int x, int d, const std::string& base, int relu,
                        bool is_min) {
  const Tensor xt = c_.tensors[x];
  std::vector<int64_t> dims = xt.dims;
  auto ld = xt.log_dims;
  dims[d] /= 2;
  ld[d] -= 1;
  const int var = static_cast<int>(xt.var_offset(d));
  int diff = add_tensor(base + ".diff", dims, xt.scale, TensorKind::kWitness, ld);
  Node dn;
  dn.type = NodeType::kMaxDiff;
  dn.layer = layer;
  dn.in = {x};
  dn.out = {diff};
  dn.params = circuit::MaxParams{var, relu};
  add_node(std::move(dn));
  int out = add_tensor(base, dims, xt.scale, TensorKind::kDerived, ld);
  Node mn;
  mn.type = NodeType::kLinComb;
  mn.layer = layer;
  mn.in = {x, diff};
  mn.out = {out};
  // d = relu(a - b) for a, b the elements with the bit 0 and 1:
  // max = b + d, min = a - d.
  mn.p<circuit::LinCombParams>().expr.terms = {
      Term{x, 1, var, static_cast<uint8_t>(is_min ? 0 : 1)}, Term{diff, is_min ? -1 : 1}};
  add_node(std::move(mn));
  return out;
}

void Lowering::lower_maxpool(int idx) {
  const FNode& n = g_.nodes[idx];
  int x = materialize(n.inputs[0], n.name);
  if (c_.tensors[x].dims.size() != 3) unsupported(n, "pooling input must be [C,H,W]");
  // A model input may carry a finer scale than activations (small features
  // keep 8 bits): its differences would leave the lookup range, so it is
  // requantized to the activation scale first.
  const int s_act = choose_scale(amax_[n.inputs[0]], act_bound_, opt_.max_scale);
  if (c_.tensors[x].scale > s_act)
    x = requant(n.name, x, c_.tensors[x].scale, n.inputs[0], n.inputs[0], -1);
  bool halving = true;
  for (int d = 0; d < 2; ++d) {
    int64_t k = n.kernel[d];
    if (n.strides[d] != k || (k & (k - 1)) != 0 || n.pads[d] || n.pads[d + 2]) halving = false;
    if (!n.dilations.empty() && n.dilations[d] != 1) halving = false;
  }
  for (int d = 0; d < 4; ++d)
    if (n.pads[d] < 0 ||
        n.pads[d] >= (n.kernel[d % 2] - 1) * (n.dilations.empty() ? 1 : n.dilations[d % 2]) + 1)
      unsupported(n, "pooling padding must be smaller than the window");
  if (!halving) return lower_general_maxpool(n, x);
  for (int d = 0; d < 2; ++d) {
    int64_t k = n.kernel[d];
    if (n.strides[d] != k || (k & (k - 1)) != 0 || n.pads[d] || n.pads[d + 2])
      unsupported(n, "max pooling needs a power-of-two kernel equal to its stride and no padding");
  }
  int relu = relu_table();
  int step = 0;
  for (int d = 1; d <= 2; ++d) {
    for (int64_t k = n.kernel[d - 1]; k > 1; k /= 2) {
      if (c_.tensors[x].log_dims[d] == 0) unsupported(n, "pooling window larger than the input");
      x = halve_max(n.name, x, d, g_.values[n.output].name + ".max" + std::to_string(step++), relu,
                    false);
    }
  }
  handles_[n.output] = {x, c_.tensors[x].dims, {}};
  if (c_.tensors[x].dims != g_.values[n.output].shape)
    unsupported(n, "unexpected max-pool output shape");
}

}  // namespace zk::quant

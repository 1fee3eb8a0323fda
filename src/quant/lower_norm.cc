// y = x * w + b with one constant per element of x (LayerNorm's scale and
// bias over its normalized axes, any constant that is neither scalar nor
// per channel): a ChannelAffine whose constants cover x's whole shape.
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

void Lowering::lower_element_affine(int idx, int x) {
  const FNode& n = g_.nodes[idx];
  const Tensor xt = c_.tensors[x];
  const auto& w = n.weight.data;
  const auto& b = n.bias.data;
  if (b.size() > 1 && b.size() != w.size())
    unsupported(n, "bias must have one value per element like the scale");
  const int s_x = xt.scale;
  const int s_w = fit_weight_scale(w, s_x, n.output);
  const auto m = flat_map(Handle{x, xt.dims, {}});
  std::vector<int64_t> av(xt.padded_size(), 0), bv(xt.padded_size(), 0);
  for (size_t k = 0; k < m.size(); ++k) {
    av[m[k]] = round_scaled(w[k], s_w);
    bv[m[k]] = round_scaled(b.empty() ? 0.0f : b[b.size() == 1 ? 0 : k], s_x + s_w);
  }
  int at = add_tensor(n.name + ".scale", xt.dims, s_w, TensorKind::kWeight, xt.log_dims);
  weights_[at] = std::move(av);
  int bt = add_tensor(n.name + ".bias", xt.dims, s_x + s_w, TensorKind::kWeight, xt.log_dims);
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

}  // namespace zk::quant

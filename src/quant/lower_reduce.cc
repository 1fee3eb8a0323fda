// Lowering of the reductions over any axes: sums and means as an AxisSum
// (the mean's 1/n folded into the requantization), maxima and minima as
// pairwise steps along each reduced axis (max(a, b) = b + relu(a - b),
// min(a, b) = a - relu(a - b), the difference committed and tied by the ReLU
// table), after a gather that fills a non-power-of-two axis up to its padded
// size with copies of its last element, so padding never wins.
#include <algorithm>

#include "poly/mle.h"
#include "quant/lowering_impl.h"

namespace zk::quant {

// Value v's handle viewed with v's own logical shape (the reduction's tensor
// keeps the input's rank; keepdims = 0 or a dropped batch axis changes it).
void Lowering::view_as_value(int v) {
  Handle& h = handles_[v];
  std::vector<int64_t> shape = g_.values[v].shape;
  if (shape.empty()) shape = {1};
  if (h.map.empty() && c_.tensors[h.tensor].dims == shape) {
    h.shape = shape;
    return;
  }
  h.map = flat_map(h);
  h.shape = shape;
}

int Lowering::axis_sum(const FNode& n, int x) {
  const Tensor xt = c_.tensors[x];
  std::vector<int64_t> dims = xt.dims;
  auto ld = xt.log_dims;
  for (auto a : n.axes) {
    dims[a] = 1;
    ld[a] = 0;
  }
  int acc = add_tensor(xt.name + ".sum", dims, xt.scale, TensorKind::kDerived, ld);
  Node node;
  node.type = NodeType::kAxisSum;
  node.layer = n.name;
  node.in = {x};
  node.out = {acc};
  add_node(std::move(node));
  return acc;
}

void Lowering::lower_reduce(int idx) {
  const FNode& n = g_.nodes[idx];
  int x = materialize(n.inputs[0], n.name);
  const Tensor xt = c_.tensors[x];
  for (auto a : n.axes)
    if (a < 0 || a >= static_cast<int64_t>(xt.dims.size()))
      unsupported(n, "reduced axis out of range");
  if (n.kind == OpKind::kReduceMax || n.kind == OpKind::kReduceMin) return lower_reduce_max(idx, x);
  double count = 1;
  for (auto a : n.axes) count *= static_cast<double>(xt.dims[a]);
  int acc = axis_sum(n, x);
  int act = fusable_activation(n.output);
  int value = act >= 0 ? g_.nodes[act].output : n.output;
  finish_linear(idx, acc, xt.scale, n.kind == OpKind::kReduceMean ? 1.0 / count : 1.0);
  view_as_value(value);
}

// Fills each reduced axis of x whose size is not a power of two up to its
// padded size with copies of the axis's last element (a gather).
int Lowering::fill_reduced_axes(const FNode& n, int x) {
  const Tensor xt = c_.tensors[x];
  std::vector<int64_t> dims = xt.dims;
  bool need = false;
  for (auto a : n.axes) {
    int64_t full = int64_t{1} << xt.log_dims[a];
    need = need || dims[a] != full;
    dims[a] = full;
  }
  if (!need) return x;
  int g = add_tensor(n.name + ".filled", dims, xt.scale, TensorKind::kDerived, xt.log_dims);
  const Tensor gt = c_.tensors[g];
  Node gn;
  gn.type = NodeType::kGather;
  gn.layer = n.name;
  gn.in = {x};
  gn.out = {g};
  auto& map = gn.p<circuit::GatherParams>().map;
  map.assign(gt.padded_size(), -1);
  std::vector<int64_t> idx(dims.size(), 0);
  for (size_t i = 0; i < gt.padded_size(); ++i) {
    if (!circuit::is_valid_index(gt, i)) continue;
    for (size_t d = 0; d < dims.size(); ++d)
      idx[d] = std::min<int64_t>((i >> gt.var_offset(d)) & ((size_t{1} << gt.log_dims[d]) - 1),
                                 xt.dims[d] - 1);
    map[i] = static_cast<int64_t>(circuit::padded_index(xt, idx));
  }
  add_node(std::move(gn));
  return g;
}

int Lowering::reduce_max_tensor(const FNode& n, int x, bool is_min) {
  x = fill_reduced_axes(n, x);
  int relu = relu_table();
  int step = 0;
  for (auto d : n.axes) {
    while (c_.tensors[x].log_dims[d] > 0) {
      x = halve_max(n.name, x, static_cast<int>(d),
                    n.name + (is_min ? ".min" : ".max") + std::to_string(step++), relu, is_min);
    }
  }
  return x;
}

void Lowering::lower_reduce_max(int idx, int x) {
  const FNode& n = g_.nodes[idx];
  x = reduce_max_tensor(n, at_activation_scale(n, x, n.inputs[0]), n.kind == OpKind::kReduceMin);
  handles_[n.output] = {x, c_.tensors[x].dims, {}};
  view_as_value(n.output);
}

}  // namespace zk::quant

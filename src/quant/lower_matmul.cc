// Lowering of MatMul (model OpKind::kMatMul) to the MatMul circuit op: a
// constant right operand W [K,N] applied to every row of A [..., T, K], or
// the product of two activations with shared (or one-sided) batch
// dimensions; a derived accumulator at scale s_A + s_W (s_A + s_B) and a
// requantization.
#include <cmath>

#include "poly/mle.h"
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

namespace {

int64_t prod(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

}  // namespace

// Gives value v a tensor of exactly `shape` (same element count): a view of
// its handle gathered when the layout differs.
int Lowering::shaped(int v, const std::vector<int64_t>& shape, const std::string& why) {
  Handle& h = handles_[v];
  if (h.tensor < 0) throw ModelError("value '" + g_.values[v].name + "' is not computed");
  if (h.shape == shape) return materialize(v, why);
  // Other consumers keep the value's own view: restore the handle afterwards.
  const Handle saved = h;
  h.map = flat_map(h);
  h.shape = shape;
  if (shape == c_.tensors[h.tensor].dims) h.map.clear();
  const int t = materialize(v, why);
  handles_[v] = saved;
  return t;
}

void Lowering::lower_matmul(int idx) {
  const FNode& n = g_.nodes[idx];
  std::vector<int64_t> as = g_.values[n.inputs[0]].shape;
  if (as.empty()) unsupported(n, "MatMul of a scalar");
  if (as.size() == 1) as.insert(as.begin(), 1);
  const int64_t K = as.back();
  std::vector<int64_t> os = g_.values[n.output].shape;
  const bool const_b = n.inputs.size() == 1;
  const int64_t I = as[as.size() - 2], J = const_b ? n.weight.shape[1] : os.empty() ? 1 : os.back();
  // The output as [batch..., I, J] (its logical shape when that ends in I, J).
  const int64_t batch = I * J > 0 ? prod(os) / (I * J) : 0;
  std::vector<int64_t> out_dims = os;
  if (os.size() < 2 || os[os.size() - 2] != I || os.back() != J)
    out_dims = batch == 1 ? std::vector<int64_t>{I, J} : std::vector<int64_t>{batch, I, J};
  if (batch < 1 || batch * I * J != prod(os))
    unsupported(n, "output shape does not fit the operands");
  // Each operand with the output's batch dimensions, or without (broadcast).
  auto operand_dims = [&](int64_t x, int64_t y, int64_t numel) {
    std::vector<int64_t> d = out_dims;
    d[d.size() - 2] = x;
    d.back() = y;
    if (batch > 1 && numel == batch * x * y) return d;
    if (numel != x * y)
      unsupported(n,
                  "operand shapes do not match (batch dimensions must be "
                  "equal, or absent on one side)");
    return std::vector<int64_t>{x, y};
  };
  int a = shaped(n.inputs[0], operand_dims(I, K, prod(as)), n.name);
  const Tensor at = c_.tensors[a];  // a copy: add_tensor grows c_.tensors
  int b = -1, bias = -1, s_b = 0;
  if (const_b) {
    if (n.weight.shape.size() != 2 || n.weight.shape[0] != K)
      unsupported(n, "weight does not match the input's last dimension");
    s_b = fit_weight_scale(n.weight.data, at.scale, n.output);
    const std::vector<uint32_t> wl{at.log_dims.back(), log2_exact(J)};
    std::vector<int64_t> w(size_t{1} << (wl[0] + wl[1]), 0);
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < J; ++j)
        w[(k << wl[1]) + j] = round_scaled(n.weight.data[k * J + j], s_b);
    b = add_tensor(n.name + ".weight", {K, J}, s_b, TensorKind::kWeight, wl);
    weights_[b] = std::move(w);
  } else {
    b = shaped(n.inputs[1], operand_dims(K, J, prod(g_.values[n.inputs[1]].shape)), n.name);
    s_b = c_.tensors[b].scale;
  }
  const int s_acc = at.scale + s_b;
  if (!n.bias.data.empty()) {
    std::vector<int64_t> bv(size_t{1} << log2_exact(J), 0);
    for (int64_t j = 0; j < J; ++j) bv[j] = round_scaled(n.bias.data[j], s_acc);
    bias = add_weight(n.name + ".bias", {J}, std::move(bv));
  }
  int acc = add_tensor(n.name + ".acc", out_dims, s_acc, TensorKind::kDerived);
  Node node;
  node.type = NodeType::kMatMul;
  node.layer = n.name;
  node.in = {a, b};
  if (bias >= 0) node.in.push_back(bias);
  node.out = {acc};
  add_node(std::move(node));
  const double alpha = n.attrs.empty() ? 1.0 : n.attrs[0];
  const int act = fusable_activation(n.output);
  const int value = act >= 0 ? g_.nodes[act].output : n.output;
  finish_linear(idx, acc, s_acc, alpha);
  // The requantized tensor is [batch..., I, J]; the value keeps its logical
  // shape (e.g. [N] for one row) as a view of it.
  Handle& h = handles_[value];
  if (g_.values[value].shape != h.shape && !g_.values[value].shape.empty()) {
    h.map = flat_map(h);
    h.shape = g_.values[value].shape;
  }
}

}  // namespace zk::quant

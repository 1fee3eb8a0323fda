// Lowering of elementwise ops between two activations, with NumPy
// broadcasting (the smaller operand gathered to the output's shape):
//   a + b, a - b  a linear combination at the finer scale, requantized;
//   a * b         the Hadamard product (circuit op Mul) at scale s_a + s_b,
//                 requantized to the output's calibrated scale;
//   max(a, b)     b + relu(a - b), min(a, b) = a - relu(a - b): the
//                 difference requantized through the ReLU table, then a
//                 linear combination requantized to the output's scale;
//   a < b, a <= b, a == b   a step table on b - a (0 or 1 at the output's
//                 scale).
#include <algorithm>
#include <cmath>

#include "model/broadcast.h"
#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

int Lowering::broadcast_to(int v, const std::vector<int64_t>& shape, const std::string& why) {
  std::vector<int64_t> out = shape.empty() ? std::vector<int64_t>{1} : shape;
  const auto& in_shape = g_.values[v].shape;
  int64_t numel = 1;
  for (auto d : out) numel *= d;
  if (handles_[v].tensor >= 0 && handles_[v].shape == out) return materialize(v, why);
  Handle h = handles_[v];
  if (h.tensor < 0) throw ModelError("value '" + g_.values[v].name + "' is not computed");
  auto bs = model::broadcast_shape(in_shape, out);
  if (!bs || *bs != out)
    throw ModelError("value '" + g_.values[v].name + "' does not broadcast to the shape of " + why);
  auto src = flat_map(h);
  auto idx = model::broadcast_index(in_shape, out);
  if (static_cast<int64_t>(idx.size()) != numel)
    throw ModelError("value '" + g_.values[v].name + "' does not broadcast to the shape of " + why);
  std::vector<int64_t> map(idx.size());
  for (size_t i = 0; i < idx.size(); ++i) map[i] = src.at(static_cast<size_t>(idx[i]));
  return add_gather(g_.values[v].name + " (broadcast for " + why + ")",
                    g_.values[v].name + " (broadcast)", h.tensor, out, map);
}

int Lowering::hadamard(const std::string& layer, int a, int b, const std::string& name) {
  const Tensor at = c_.tensors[a], bt = c_.tensors[b];
  if (at.dims != bt.dims || at.log_dims != bt.log_dims)
    throw ModelError("layer '" + layer + "': product operands differ in shape");
  int acc = add_tensor(name, at.dims, at.scale + bt.scale, TensorKind::kDerived, at.log_dims);
  Node node;
  node.type = NodeType::kMul;
  node.layer = layer;
  node.in = {a, b};
  node.out = {acc};
  add_node(std::move(node));
  return acc;
}

int Lowering::requant_to(const std::string& layer, int acc, int s_acc, int s_q, int s_y, int table,
                         const std::string& name) {
  return add_requant(layer, acc, name, s_q, s_y, 1, s_acc - s_q, table);
}

int Lowering::lin_pair(const std::string& layer, int x, int y, int64_t sign,
                       const std::string& name, int* s) {
  const Tensor xt = c_.tensors[x], yt = c_.tensors[y];
  *s = std::max(xt.scale, yt.scale);
  int acc = add_tensor(name, xt.dims, *s, TensorKind::kDerived, xt.log_dims);
  Node node;
  node.type = NodeType::kLinComb;
  node.layer = layer;
  node.in = {x, y};
  node.out = {acc};
  node.p<circuit::LinCombParams>().expr.terms = {Term{x, int64_t{1} << (*s - xt.scale)},
                                                 Term{y, sign << (*s - yt.scale)}};
  add_node(std::move(node));
  return acc;
}

void Lowering::lower_binary(int idx) {
  const FNode& n = g_.nodes[idx];
  const int va = n.inputs[0], vb = n.inputs[1];
  if (n.kind == OpKind::kAdd && g_.values[va].shape == g_.values[vb].shape) return lower_add(idx);
  const auto& os = g_.values[n.output].shape;
  int a = broadcast_to(va, os, n.name), b = broadcast_to(vb, os, n.name);
  const Tensor at = c_.tensors[a], bt = c_.tensors[b];
  int s = 0;
  switch (n.kind) {
    case OpKind::kMul:
      finish_linear(idx, hadamard(n.name, a, b, n.name + ".product"), at.scale + bt.scale);
      return;
    case OpKind::kAdd:
    case OpKind::kSub: {
      int acc = lin_pair(n.name, a, b, n.kind == OpKind::kAdd ? 1 : -1, n.name + ".sum", &s);
      finish_linear(idx, acc, s);
      return;
    }
    case OpKind::kLess:
    case OpKind::kLessEq:
    case OpKind::kEqual:
      return lower_compare(idx, a, b);
    default:
      break;
  }
  // max(a, b) = b + relu(a - b); min(a, b) = a - relu(a - b). relu(a - b) is
  // at most |a| + |b|: its scale comes from both operands' ranges.
  int d = lin_pair(n.name, a, b, -1, n.name + ".diff", &s);
  int s_r = choose_scale(amax_[va] + amax_[vb], act_bound_, opt_.max_scale);
  int r = requant_to(n.name, d, s, s_r, s_r, relu_table(), n.name + ".relu_diff");
  int acc = n.kind == OpKind::kMax ? lin_pair(n.name, b, r, 1, n.name + ".max", &s)
                                   : lin_pair(n.name, a, r, -1, n.name + ".min", &s);
  finish_linear(idx, acc, s);
}

// The step function of comparison k on the difference d = b - a (at the
// table's input scale): 2^s_y where a < b (d > 0), a <= b (d >= 0) or
// a == b (d == 0), else 0.
int Lowering::step_table(OpKind k, int s_y) {
  const int T = static_cast<int>(opt_.table_bits);
  const int64_t half = int64_t{1} << (T - 1);
  const int64_t one = std::min(int64_t{1} << std::max(0, s_y), half - 1);
  Table t;
  t.kind = TableKind::kFunction;
  t.name = std::string(k == OpKind::kLess     ? "b - a > 0"
                       : k == OpKind::kLessEq ? "b - a >= 0"
                                              : "b - a == 0") +
           " (output 2^-" + std::to_string(s_y) + ")";
  t.values.resize(size_t{1} << T);
  for (size_t j = 0; j < t.values.size(); ++j) {
    int64_t d = static_cast<int64_t>(j) - half;
    bool on = k == OpKind::kLess ? d > 0 : k == OpKind::kLessEq ? d >= 0 : d == 0;
    t.values[j] = on ? one : 0;
  }
  for (size_t i = 0; i < c_.tables.size(); ++i)
    if (c_.tables[i] == t) return static_cast<int>(i);
  c_.tables.push_back(std::move(t));
  return static_cast<int>(c_.tables.size()) - 1;
}

// d = b - a exactly at the finer scale; requantized to the table only as far
// as its range needs (no rounding when both operands' ranges fit), so the
// comparison is exact on the quantized values up to that rounding.
void Lowering::lower_compare(int idx, int a, int b) {
  const FNode& n = g_.nodes[idx];
  int s = 0;
  int d = lin_pair(n.name, b, a, -1, n.name + ".diff", &s);
  const int va = n.inputs[0], vb = n.inputs[1];
  int s_d = std::min(s, choose_scale(amax_[va] + amax_[vb], act_bound_, opt_.max_scale));
  int s_y = choose_scale(amax_[n.output], act_bound_, opt_.max_scale);
  int y = requant_to(n.name, d, s, s_d, s_y, step_table(n.kind, s_y), g_.values[n.output].name);
  handles_[n.output] = {y, c_.tensors[y].dims, {}};
}

}  // namespace zk::quant

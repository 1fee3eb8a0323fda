// Masked softmax (attention's causal mask). A Move whose constant elements
// are all -inf (masked_fill(mask, -inf) exports as Where with a constant
// condition) and whose sole consumer is a Softmax is lowered as a view of its
// input in which each masked position reads an unmasked element of the same
// softmax row (so it never wins the maximum and every difference stays in
// the tables' range); the Softmax then zeroes the masked positions of exp(d)
// before the sum and of its output (Gathers whose maps hold -1 there). The
// positions are fixed at compile time (the Gather maps are part of the
// circuit), so the masked outputs are exactly 0, as ONNX's exp(-inf) is, and
// the sum and maximum run over the unmasked positions only. Calibration
// ignores the -inf values (quantize.cc skips non-finite values).
#include <cmath>

#include "quant/lowering_impl.h"

namespace zk::quant {

namespace {

bool is_neg_inf_mask(const FNode& n) {
  if (n.inputs.size() != 1 || n.weight.data.size() != n.src.size()) return false;
  bool any = false;
  for (size_t i = 0; i < n.src.size(); ++i) {
    if (n.src[i] >= 0) continue;
    if (!(std::isinf(n.weight.data[i]) && n.weight.data[i] < 0)) return false;
    any = true;
  }
  return any;
}

}  // namespace

bool Lowering::lower_masked_move(int idx) {
  const FNode& n = g_.nodes[idx];
  if (!is_neg_inf_mask(n)) return false;
  const FNode* sm = nullptr;
  if (consumers_[n.output] == 1)
    for (const auto& c : g_.nodes)
      if (c.kind == OpKind::kSoftmax && c.inputs.size() == 1 && c.inputs[0] == n.output) sm = &c;
  if (!sm)
    unsupported(n,
                "-inf constants (an attention mask) are supported only when their sole consumer "
                "is a Softmax, whose masked outputs are then exactly 0");
  const std::vector<int64_t>& shape = g_.values[n.output].shape;
  const int64_t total = static_cast<int64_t>(n.src.size());
  // Row key of each position: its flat index with the softmax axes set to 0.
  std::vector<int64_t> stride(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) stride[d - 1] = stride[d] * shape[d];
  std::vector<bool> reduced(shape.size(), false);
  for (auto a : sm->axes)
    if (a >= 0 && a < static_cast<int64_t>(shape.size())) reduced[a] = true;
  auto key = [&](int64_t i) {
    int64_t k = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      if (!reduced[d]) k += (i / stride[d]) % shape[d] * stride[d];
    return k;
  };
  std::vector<int64_t> rep(total, -1);  // by row key: an unmasked position of the row
  for (int64_t i = 0; i < total; ++i)
    if (n.src[i] >= 0 && rep[key(i)] < 0) rep[key(i)] = i;
  const Handle h = handles_[n.inputs[0]];
  const std::vector<int64_t> fm = flat_map(h);
  std::vector<int64_t> map(total);
  std::vector<char> mask(total, 0);
  for (int64_t i = 0; i < total; ++i) {
    int64_t j = i;
    if (n.src[i] < 0) {
      mask[i] = 1;
      j = rep[key(i)];
      if (j < 0) unsupported(n, "a softmax row with every element -inf (ONNX gives NaN there)");
    }
    map[i] = fm[n.src[j]];
  }
  handles_[n.output] = Handle{h.tensor, shape.empty() ? std::vector<int64_t>{1} : shape, map};
  masks_[n.output] = std::move(mask);
  return true;
}

int Lowering::zero_masked(const std::string& layer, int t, const std::vector<char>& mask) {
  const Tensor tt = c_.tensors[t];
  std::vector<int64_t> map = flat_map(Handle{t, tt.dims, {}});
  for (size_t flat = 0; flat < mask.size(); ++flat)
    if (mask[flat]) map[flat] = -1;
  return add_gather(layer, tt.name + ".masked", t, tt.dims, map, tt.log_dims);
}

}  // namespace zk::quant

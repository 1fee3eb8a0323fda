// Lowering of data movement (model::OpKind::kMove: Concat, Split, Slice,
// Gather, Expand, Tile, Pad, DepthToSpace, Resize nearest, ...). Exact:
// - one input and no constant: a view (the consumer reads it through its
//   index map, or materializes it as one Gather; repeated indices allowed);
// - otherwise one Gather per input into the positions it fills (-1, i.e. 0,
//   elsewhere), and a LinComb summing them (aligned to the finest input
//   scale by exact power-of-two coefficients) with a weight tensor holding
//   the constant elements.
#include <algorithm>
#include <cmath>

#include "quant/lowering_impl.h"
#include "quant/scales.h"

namespace zk::quant {

// A Gather of value v into a new derived tensor of `dims`: output element i
// (logical flat) takes v's logical element src[i] - offset when that lies in
// [0, numel(v)), else 0.
int Lowering::gather_into(const std::string& name, int v, const std::vector<int64_t>& src,
                          int64_t offset, const std::vector<int64_t>& dims) {
  const Handle h = handles_[v];
  const std::vector<int64_t> fm = flat_map(h);
  std::vector<int64_t> map(src.size(), -1);
  for (size_t flat = 0; flat < src.size(); ++flat) {
    const int64_t s = src[flat] - offset;
    if (src[flat] >= 0 && s >= 0 && s < static_cast<int64_t>(fm.size())) map[flat] = fm[s];
  }
  return add_gather(name, name, h.tensor, dims, map);
}

void Lowering::lower_move(int idx) {
  if (lower_masked_move(idx)) return;
  const FNode& n = g_.nodes[idx];
  std::vector<int64_t> shape = g_.values[n.output].shape;
  if (shape.empty()) shape = {1};
  const bool has_const = std::any_of(n.src.begin(), n.src.end(), [](int64_t s) { return s < 0; });
  if (n.inputs.size() == 1 && !has_const) {
    const Handle h = handles_[n.inputs[0]];
    const std::vector<int64_t> fm = flat_map(h);
    std::vector<int64_t> map(n.src.size());
    for (size_t i = 0; i < map.size(); ++i) map[i] = fm[n.src[i]];
    Handle out{h.tensor, shape, std::move(map)};
    if (shape == c_.tensors[h.tensor].dims && out.map == flat_map({h.tensor, shape, {}}))
      out.map.clear();
    handles_[n.output] = std::move(out);
    return;
  }
  // The inputs' element ranges in src, and the finest scale among them.
  std::vector<int64_t> start;
  int64_t total = 0;
  int s = 0;
  bool any = false;
  for (int v : n.inputs) {
    start.push_back(total);
    total += static_cast<int64_t>(flat_map(handles_[v]).size());
    s = any ? std::max(s, c_.tensors[handles_[v].tensor].scale)
            : c_.tensors[handles_[v].tensor].scale;
    any = true;
  }
  std::vector<Term> terms;
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    const int64_t lo = start[k], hi = k + 1 < start.size() ? start[k + 1] : total;
    if (!std::any_of(n.src.begin(), n.src.end(), [&](int64_t x) { return x >= lo && x < hi; }))
      continue;
    const int t = gather_into(n.name + ".part" + std::to_string(k), n.inputs[k], n.src, lo, shape);
    terms.push_back(Term{t, int64_t{1} << (s - c_.tensors[t].scale)});
  }
  if (has_const) {
    bool nonzero = false;
    for (float c : n.weight.data) nonzero = nonzero || c != 0.0f;
    if (nonzero) {
      const int w = add_tensor(n.name + ".constant", shape, s, TensorKind::kWeight);
      const Tensor wt = c_.tensors[w];
      std::vector<int64_t> vals(wt.padded_size(), 0);
      std::vector<int64_t> ix(wt.dims.size(), 0);
      for (size_t flat = 0; flat < n.src.size(); ++flat) {
        if (n.src[flat] < 0)
          vals[circuit::padded_index(wt, ix)] = round_scaled(n.weight.data[flat], s);
        for (size_t d = ix.size(); d-- > 0;) {
          if (++ix[d] < wt.dims[d]) break;
          ix[d] = 0;
        }
      }
      weights_[w] = std::move(vals);
      terms.push_back(Term{w, 1});
    }
  }
  if (terms.size() == 1 && terms[0].coeff == 1 &&
      c_.tensors[terms[0].tensor].kind == TensorKind::kDerived) {
    handles_[n.output] = {terms[0].tensor, shape, {}};
    return;
  }
  int out = add_tensor(g_.values[n.output].name, shape, s, TensorKind::kDerived);
  Node node;
  node.type = NodeType::kLinComb;
  node.layer = n.name;
  for (const auto& t : terms) node.in.push_back(t.tensor);
  node.out = {out};
  node.p<circuit::LinCombParams>().expr.terms = terms;
  add_node(std::move(node));
  handles_[n.output] = {out, shape, {}};
}

}  // namespace zk::quant

// Gather of a constant table by ids computed from the model input (an
// embedding lookup: token ids selecting rows of a weight matrix), built from
// proven ops only:
//   b[v, t]   = ids[t]                         (a Move: broadcast copy)
//   d[v, t]   = b[v, t] - v                    (ChannelAffine, per row v)
//   h[v, t]   = [d = 0 or d = -rows]           (lookup table: the one-hot)
//   y[t, :]   = sum_v h[v, t] * table[v, :]    (Gemm, block-diagonal over t)
// The one-hot is exact for integer ids (the lowering refuses scales that
// would round them); an id outside [-rows, rows) selects no row (zeros),
// where ONNX would fail.
#include "model/activations.h"
#include "onnx/move.h"

namespace zk::onnx::conv {

void conv_gather_embedding(Importer& im, const Node& n) {
  const Const& table = im.cst(n, 0, "data");
  const int ids = im.act(n, 1, "indices");
  const int64_t axis = im.attr_int(n, "axis", 0);
  if (axis != 0 && axis != -static_cast<int64_t>(table.shape.size()))
    im.fail_attr(n, "axis",
                 "must be 0 for a lookup of computed indices in a constant table (an embedding)");
  if (table.shape.empty()) im.fail(n, "data must have at least one axis");
  const int64_t V = table.shape[0], D = V ? table.numel() / V : 0;
  const Shape ids_full = im.full(ids);
  const int64_t T = numel_of(ids_full);
  if (V < 1 || D < 1 || T < 1) im.fail(n, "empty table or ids");
  if (numel_of({T, D, V, T}) > kMaxTensorElements)
    im.fail(n, "embedding lookup of " + std::to_string(T) + " ids in a table of " +
                   std::to_string(V) + " rows is too large (its matrix has over 2^28 entries)");
  const std::string out = n.output(0);
  // b: [1, V, T] (logical [V, T]: one channel per table row).
  FNode b = make(im, n, OpKind::kMove, {ids}, "/broadcast");
  for (int64_t v = 0; v < V; ++v)
    for (int64_t t = 0; t < T; ++t) b.src.push_back(t);
  const int bv = im.emit(std::move(b), out + "/zk_ids", {1, V, T});
  FNode d = make(im, n, OpKind::kChannelAffine, {bv}, "/minus_row");
  d.weight = FTensor{{V}, std::vector<float>(V, 1.0f)};
  d.bias = FTensor{{V}, std::vector<float>(V)};
  for (int64_t v = 0; v < V; ++v) d.bias.data[v] = -static_cast<float>(v);
  const int dv = im.emit(std::move(d), out + "/zk_diff", {1, V, T});
  FNode h = make(im, n, OpKind::kActivation, {dv}, "/onehot");
  h.activation = model::kIsZeroActivation;
  h.attrs = {static_cast<float>(V)};
  const int hv = im.emit(std::move(h), out + "/zk_onehot", {1, V, T});
  FNode g = make(im, n, OpKind::kGemm, {hv}, "/rows");
  g.weight = FTensor{{T * D, V * T}, std::vector<float>(T * D * V * T, 0.0f)};
  for (int64_t t = 0; t < T; ++t)
    for (int64_t dd = 0; dd < D; ++dd)
      for (int64_t v = 0; v < V; ++v)
        g.weight.data[(t * D + dd) * V * T + v * T + t] = table.f[v * D + dd];
  g.bias = FTensor{{T * D}, std::vector<float>(T * D, 0.0f)};
  const int gv = im.emit(std::move(g), out + "/zk_rows", {1, T * D});
  Shape out_full = ids_full;
  out_full.insert(out_full.end(), table.shape.begin() + 1, table.shape.end());
  im.emit(make(im, n, OpKind::kReshape, {gv}, "/reshape"), out, out_full);
}

}  // namespace zk::onnx::conv

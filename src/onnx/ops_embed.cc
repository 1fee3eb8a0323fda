// Gather of a constant table by ids computed from the model input (an
// embedding lookup: token ids selecting rows of a weight matrix), built from
// proven ops only:
//   b[t, v]   = ids[t]                         (a Move: broadcast copy)
//   d[t, v]   = b[t, v] - v                    (ChannelAffine, one bias per element)
//   h[t, v]   = [d = 0 or d = -rows]           (lookup table: the one-hot)
//   y[t, :]   = sum_v h[t, v] * table[v, :]    (MatMul by the table; one id: a Gemm)
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
  if (numel_of({T, V}) > kMaxTensorElements || numel_of({V, D}) > kMaxTensorElements)
    im.fail(n, "embedding lookup of " + std::to_string(T) + " ids in a table of " +
                   std::to_string(V) + " rows is too large (over 2^28 entries)");
  const std::string out = n.output(0);
  // b: [1, T, V] (logical [T, V]): b[t, v] = ids[t].
  FNode b = make(im, n, OpKind::kMove, {ids}, "/broadcast");
  for (int64_t t = 0; t < T; ++t)
    for (int64_t v = 0; v < V; ++v) b.src.push_back(t);
  const int bv = im.emit(std::move(b), out + "/zk_ids", {1, T, V});
  // d[t, v] = b[t, v] - v: a ChannelAffine with one bias per element.
  FNode d = make(im, n, OpKind::kChannelAffine, {bv}, "/minus_row");
  d.weight = FTensor{{1}, {1.0f}};
  d.bias = FTensor{{T * V}, std::vector<float>(T * V)};
  for (int64_t t = 0; t < T; ++t)
    for (int64_t v = 0; v < V; ++v) d.bias.data[t * V + v] = -static_cast<float>(v);
  const int dv = im.emit(std::move(d), out + "/zk_diff", {1, T, V});
  FNode h = make(im, n, OpKind::kActivation, {dv}, "/onehot");
  h.activation = model::kIsZeroActivation;
  h.attrs = {static_cast<float>(V)};
  const int hv = im.emit(std::move(h), out + "/zk_onehot", {1, T, V});
  int gv = -1;
  if (T == 1) {  // one row: the flat Gemm
    FNode g = make(im, n, OpKind::kGemm, {hv}, "/rows");
    g.weight = FTensor{{D, V}, std::vector<float>(D * V)};
    for (int64_t dd = 0; dd < D; ++dd)
      for (int64_t v = 0; v < V; ++v) g.weight.data[dd * V + v] = table.f[v * D + dd];
    g.bias = FTensor{{D}, std::vector<float>(D, 0.0f)};
    gv = im.emit(std::move(g), out + "/zk_rows", {1, D});
  } else {  // the one-hot [T, V] times the table [V, D]
    FNode g = make(im, n, OpKind::kMatMul, {hv}, "/rows");
    g.weight = FTensor{{V, D}, table.f};
    gv = im.emit(std::move(g), out + "/zk_rows", {1, T, D});
  }
  Shape out_full = ids_full;
  out_full.insert(out_full.end(), table.shape.begin() + 1, table.shape.end());
  im.emit(make(im, n, OpKind::kReshape, {gv}, "/reshape"), out, out_full);
}

}  // namespace zk::onnx::conv

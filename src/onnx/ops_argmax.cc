// ArgMax and ArgMin over one axis, from existing model ops: the extremum m
// over the axis (kReduceMax/kReduceMin, kept dims), the mask e = (x == m)
// (kEqual, broadcast), and the index as an extremum of a per-element affine
// of the mask: min_i (e_i * (i - N) + N) is the first index where e_i = 1
// (ONNX's default on ties), max_i (e_i * (i + 1) - 1) the last
// (select_last_index = 1). Every step is exact on the quantized values: the
// index is exact for the quantized input (ties are decided there, so inputs
// closer than one quantization step may tie where the float input does not).
#include "onnx/convert.h"

namespace zk::onnx::conv {

void conv_argmax(Importer& im, const Node& n) {
  const bool is_max = n.op_type() == "ArgMax";
  const int x = im.act(n, 0, "data");
  const Shape xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size());
  if (r == 0) im.fail(n, "expects an input of rank >= 1");
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", 0), r);
  const bool keep = im.attr_int(n, "keepdims", 1) != 0;
  const bool last = im.attr_int(n, "select_last_index", 0) != 0;
  const int64_t off = r - static_cast<int64_t>(logical_of(xs).size());
  const std::string out = n.output(0);
  Shape kept = xs, os;
  kept[axis] = 1;
  for (int64_t i = 0; i < r; ++i)
    if (i != axis || keep) os.push_back(i == axis ? 1 : xs[i]);
  if (xs[axis] == 1) {  // one element along the axis: every index is 0 (0 * x)
    FNode z = make(im, n, OpKind::kChannelAffine, {x}, "/zero");
    z.weight = FTensor{{1}, {0.0f}};
    z.bias = FTensor{{1}, {0.0f}};
    im.emit(std::move(z), out, os);
    return;
  }
  auto reduce = [&](OpKind kind, int in, const std::string& suffix, const std::string& name,
                    const Shape& shape) {
    FNode f = make(im, n, kind, {in}, suffix);
    if (axis >= off) f.axes.push_back(axis - off);
    return im.emit(std::move(f), name, shape);
  };
  const int m = reduce(is_max ? OpKind::kReduceMax : OpKind::kReduceMin, x, "/extremum",
                       out + "/zk_extremum", kept);
  const int e = im.emit(make(im, n, OpKind::kEqual, {x, m}, "/mask"), out + "/zk_mask", xs);
  // The index of each element along the axis.
  const int64_t N = xs[axis];
  int64_t inner = 1;
  for (int64_t i = axis + 1; i < r; ++i) inner *= xs[i];
  const int64_t total = numel_of(xs);
  FNode a = make(im, n, OpKind::kChannelAffine, {e}, "/index");
  a.weight = FTensor{{total}, std::vector<float>(total)};
  a.bias = FTensor{{total}, std::vector<float>(total, last ? -1.0f : static_cast<float>(N))};
  for (int64_t k = 0; k < total; ++k) {
    const auto i = static_cast<float>((k / inner) % N);
    a.weight.data[k] = last ? i + 1.0f : i - static_cast<float>(N);
  }
  const int v = im.emit(std::move(a), out + "/zk_index", xs);
  reduce(last ? OpKind::kReduceMax : OpKind::kReduceMin, v, "", out, os);
}

}  // namespace zk::onnx::conv

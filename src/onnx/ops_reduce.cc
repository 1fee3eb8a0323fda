// The reductions: ReduceSum/Mean/Max/Min/L1/L2/SumSquare/LogSumExp over any
// axes (attribute or input form), GlobalAveragePool and GlobalMaxPool on any
// rank, Softmax and LogSoftmax. Each becomes one
// model reduction over logical axes (model/graph.h), whose output value has
// the ONNX output's shape (keepdims or not).
#include <cmath>

#include "model/activations.h"
#include "onnx/convert.h"

namespace zk::onnx::conv {

namespace {

// The ONNX version from which `axes` is an input instead of an attribute.
int axes_input_opset(const std::string& op) { return op == "ReduceSum" ? 13 : 18; }

}  // namespace

// Emits the reduction of activation x over the full-shape axes `red` as value `out`.
int emit_reduce(Importer& im, const Node& n, OpKind kind, int x, const std::vector<bool>& red,
                bool keep, const std::string& out, const std::string& suffix) {
  const Shape xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size());
  const int64_t off = r - static_cast<int64_t>(logical_of(xs).size());
  FNode f = make(im, n, kind, {x}, suffix);
  const bool same = kind == OpKind::kSoftmax || kind == OpKind::kLogSoftmax;
  Shape os;
  for (int64_t i = 0; i < r; ++i) {
    if (red[i] && i >= off) f.axes.push_back(i - off);
    if (!red[i] || same)
      os.push_back(xs[i]);
    else if (keep)
      os.push_back(1);
  }
  return im.emit(std::move(f), out, os);
}

namespace {

// A reduction of a constant (a tree converter's path matrices): folded.
void fold_reduce(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  const Const& c = *im.sym(n, 0).c;
  const int64_t r = static_cast<int64_t>(c.shape.size());
  bool given;
  const Shape axes = axes_of(im, n, axes_input_opset(op), &given);
  const bool keep = im.attr_int(n, "keepdims", 1) != 0;
  if (axes.empty() && im.attr_int(n, "noop_with_empty_axes", 0) != 0) {
    im.bind_const(n.output(0), c);
    return;
  }
  std::vector<bool> red(r, axes.empty());
  for (auto a : axes) red[norm_axis(im, n, a, r)] = true;
  Shape kept(r), out;
  for (int64_t d = 0; d < r; ++d) {
    kept[d] = red[d] ? 1 : c.shape[d];
    if (!red[d] || keep) out.push_back(kept[d]);
  }
  const bool is_max = op == "ReduceMax", is_min = op == "ReduceMin";
  if (!(is_max || is_min || op == "ReduceSum" || op == "ReduceMean" || op == "ReduceSumSquare" ||
        op == "ReduceL1" || op == "ReduceL2"))
    im.fail(n, op + " of a constant is not supported");
  const int64_t total = numel_of(kept);
  std::vector<double> acc(total, is_max ? -INFINITY : (is_min ? INFINITY : 0.0));
  std::vector<int64_t> idx(r, 0);
  for (int64_t i = 0; i < c.numel(); ++i) {
    int64_t o = 0;
    for (int64_t d = 0; d < r; ++d) o = o * kept[d] + (red[d] ? 0 : idx[d]);
    const double v = c.f[i];
    double& a = acc[o];
    a = is_max                                        ? std::max(a, v)
        : is_min                                      ? std::min(a, v)
        : op == "ReduceSumSquare" || op == "ReduceL2" ? a + v * v
        : op == "ReduceL1"                            ? a + std::fabs(v)
                                                      : a + v;
    for (int64_t d = r - 1; d >= 0 && ++idx[d] == c.shape[d]; --d) idx[d] = 0;
  }
  Const y;
  y.shape = out;
  y.is_int = c.is_int && op != "ReduceMean" && op != "ReduceL2";
  const double count =
      static_cast<double>(c.numel()) / static_cast<double>(std::max<int64_t>(total, 1));
  for (double a : acc) {
    if (op == "ReduceMean") a /= count;
    if (op == "ReduceL2") a = std::sqrt(a);
    y.f.push_back(static_cast<float>(a));
    if (y.is_int) y.i.push_back(std::llround(a));
  }
  im.bind_const(n.output(0), std::move(y));
}

}  // namespace

void conv_reduce(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  if (im.sym(n, 0).is_const()) return fold_reduce(im, n);
  const int x = im.act(n, 0, "data");
  const int64_t r = static_cast<int64_t>(im.full(x).size());
  bool given;
  const Shape axes = axes_of(im, n, axes_input_opset(op), &given);
  const bool keep = im.attr_int(n, "keepdims", 1) != 0;
  if (axes.empty() && im.attr_int(n, "noop_with_empty_axes", 0) != 0) return conv_identity(im, n);
  std::vector<bool> red(r, axes.empty());
  for (auto a : axes) red[norm_axis(im, n, a, r)] = true;
  if (op == "ReduceMean") {
    // Over H,W of [1,C,H,W] with keepdims: the global average pool.
    const Shape& xs = im.full(x);
    if (r == 4 && xs[0] == 1 && keep && !red[0] && !red[1] && red[2] && red[3]) {
      im.emit(make(im, n, OpKind::kGlobalAvgPool, {x}), n.output(0), {1, xs[1], 1, 1});
      return;
    }
  }
  OpKind kind = op == "ReduceMean"        ? OpKind::kReduceMean
                : op == "ReduceMax"       ? OpKind::kReduceMax
                : op == "ReduceMin"       ? OpKind::kReduceMin
                : op == "ReduceSumSquare" ? OpKind::kReduceSumSquare
                : op == "ReduceL2"        ? OpKind::kReduceL2
                : op == "ReduceLogSumExp" ? OpKind::kReduceLogSumExp
                                          : OpKind::kReduceSum;
  if (op == "ReduceL1") {
    FNode f = make(im, n, OpKind::kActivation, {x}, "/abs");
    f.activation = "Abs";
    const int a = im.emit(std::move(f), n.output(0) + "/zk_abs", im.full(x));
    emit_reduce(im, n, kind, a, red, keep, n.output(0));
    return;
  }
  if (op == "ReduceLogSum") {
    const int a = emit_reduce(im, n, kind, x, red, keep, n.output(0) + "/zk_sum", "/sum");
    FNode f = make(im, n, OpKind::kActivation, {a}, "/log");
    f.activation = "Log";
    const Shape s = im.full(a);
    im.emit(std::move(f), n.output(0), s);
    return;
  }
  emit_reduce(im, n, kind, x, red, keep, n.output(0));
}

// Softmax and LogSoftmax: before opset 13 over the trailing block from
// `axis` (default 1) flattened, from 13 over the one axis (default -1).
void conv_softmax(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "input");
  const int64_t r = static_cast<int64_t>(im.full(x).size());
  const bool v13 = im.opset() >= 13;
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", v13 ? -1 : 1), r);
  std::vector<bool> red(r, false);
  for (int64_t i = axis; i < (v13 ? axis + 1 : r); ++i) red[i] = true;
  emit_reduce(im, n, n.op_type() == "Softmax" ? OpKind::kSoftmax : OpKind::kLogSoftmax, x, red,
              true, n.output(0));
}

// GlobalAveragePool and GlobalMaxPool over every axis after [N,C].
void conv_global_pool(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "input");
  const Shape& xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size());
  if (r < 3)
    im.fail(n, "expects an input [N,C,...] with at least one spatial axis, got " + shape_str(xs));
  const bool is_max = n.op_type() == "GlobalMaxPool";
  if (!is_max && r == 4 && xs[0] == 1) {
    im.emit(make(im, n, OpKind::kGlobalAvgPool, {x}), n.output(0), {1, xs[1], 1, 1});
    return;
  }
  std::vector<bool> red(r, true);
  red[0] = red[1] = false;
  emit_reduce(im, n, is_max ? OpKind::kReduceMax : OpKind::kReduceMean, x, red, true, n.output(0));
}

}  // namespace zk::onnx::conv

// Data movement converters: Pad (any axes, constant value, reflect, edge),
// DepthToSpace/SpaceToDepth and Where with a constant condition, as index
// maps (move.h).
#include <cmath>

#include "onnx/move.h"

namespace zk::onnx::conv {

PadArgs pad_args(Importer& im, const Node& n, int64_t rank) {
  PadArgs a;
  if (im.opset() < 11) {
    if (!im.attr(n, "pads")) im.fail(n, "missing attribute 'pads'");
    a.pads = im.attr_ints(n, "pads", {});
    a.value = im.attr_float(n, "value", 0.0f);
  } else {
    a.pads = const_ints(im, n, 1, "pads");
    if (im.has_input(n, 2)) a.value = const_scalar(im, n, 2, "constant_value");
    if (im.has_input(n, 3)) a.axes = const_ints(im, n, 3, "axes");
  }
  if (a.axes.empty())
    for (int64_t i = 0; i < rank; ++i) a.axes.push_back(i);
  if (a.pads.size() != 2 * a.axes.size()) im.fail(n, "pads must have 2 entries per axis");
  return a;
}

void conv_pad_general(Importer& im, const Node& n) {
  const std::string mode = im.attr_string(n, "mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    im.fail_attr(n, "mode", "= " + mode + " is not supported (constant, reflect or edge)");
  const Shape in = in_full(im, n, 0);
  const int64_t r = static_cast<int64_t>(in.size());
  const auto [pads, axes, value] = pad_args(im, n, r);
  const int64_t k = static_cast<int64_t>(axes.size());
  Shape begin(r, 0), out = in;
  for (int64_t j = 0; j < k; ++j) {
    const int64_t a = norm_axis(im, n, axes[j], r);
    if (std::abs(pads[j]) > kMaxTensorElements || std::abs(pads[k + j]) > kMaxTensorElements)
      im.fail(n, "pads = " + shape_str(pads) + " exceed 2^28");
    begin[a] = pads[j];
    out[a] = in[a] + pads[j] + pads[k + j];
    if (out[a] <= 0)
      im.fail(n, "pads " + shape_str(pads) + " remove all of axis " + std::to_string(a));
    if (mode == "reflect" && (in[a] < 2 || pads[j] >= in[a] || pads[k + j] >= in[a]) &&
        (pads[j] > 0 || pads[k + j] > 0))
      im.fail(n, "reflect pads must be smaller than the axis size " + std::to_string(in[a]));
  }
  Move m{{0}, out, {}, {}};
  const Shape st = strides_of(in);
  for_each_index(out, [&](const Shape& idx) {
    int64_t s = 0;
    bool pad = false;
    for (int64_t a = 0; a < r; ++a) {
      int64_t i = idx[a] - begin[a];
      if (i < 0 || i >= in[a]) {
        if (mode == "constant")
          pad = true;
        else if (mode == "edge")
          i = i < 0 ? 0 : in[a] - 1;
        else
          i = i < 0 ? -i : 2 * (in[a] - 1) - i;
      }
      s += i * st[a];
    }
    m.src.push_back(pad ? -1 : s);
  });
  if (value != 0) m.fill.assign(m.src.size(), value);
  emit_move(im, n, m);
}

namespace {

// [N,C,H,W] with C = c*b*b -> [N,c,H*b,W*b] (or the reverse): element
// (n, c, h*b+i, w*b+j) <-> (n, channel(c, i, j), h, w), DCR: (i*b+j)*c + c',
// CRD: c'*b*b + i*b + j.
int64_t depth_channel(bool dcr, int64_t c, int64_t cc, int64_t b, int64_t i, int64_t j) {
  return dcr ? (i * b + j) * c + cc : cc * b * b + i * b + j;
}

}  // namespace

void conv_depth_to_space(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const int64_t b = im.attr_int(n, "blocksize", 0);
  const std::string mode = im.attr_string(n, "mode", "DCR");
  if (mode != "DCR" && mode != "CRD") im.fail_attr(n, "mode", "= " + mode + " is not DCR or CRD");
  if (in.size() != 4 || b <= 0 || in[1] % (b * b) != 0)
    im.fail(n, "expects [N,C,H,W] with C divisible by blocksize^2, got " + shape_str(in));
  const int64_t c = in[1] / (b * b);
  const Shape out = {in[0], c, in[2] * b, in[3] * b};
  const Shape st = strides_of(in);
  Move m{{0}, out, {}, {}};
  for_each_index(out, [&](const Shape& x) {
    const int64_t ch = depth_channel(mode == "DCR", c, x[1], b, x[2] % b, x[3] % b);
    m.src.push_back(x[0] * st[0] + ch * st[1] + (x[2] / b) * st[2] + x[3] / b);
  });
  emit_move(im, n, m);
}

void conv_space_to_depth(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const int64_t b = im.attr_int(n, "blocksize", 0);
  if (in.size() != 4 || b <= 0 || in[2] % b != 0 || in[3] % b != 0)
    im.fail(n, "expects [N,C,H,W] with H and W divisible by blocksize, got " + shape_str(in));
  const Shape out = {in[0], in[1] * b * b, in[2] / b, in[3] / b};
  const Shape st = strides_of(in);
  Move m{{0}, out, {}, {}};
  for_each_index(out, [&](const Shape& x) {
    // Output channel (i*b + j)*C + c (DCR order, the only SpaceToDepth order).
    const int64_t blk = x[1] / in[1], cc = x[1] % in[1], i = blk / b, j = blk % b;
    m.src.push_back(x[0] * st[0] + cc * st[1] + (x[2] * b + i) * st[2] + x[3] * b + j);
  });
  emit_move(im, n, m);
}

// Where(cond, X, Y) with a constant condition: each element from X or Y.
void conv_where_const(Importer& im, const Node& n) {
  const Const& cond = im.cst(n, 0, "condition");
  const Shape xs = in_full(im, n, 1), ys = in_full(im, n, 2);
  const Shape out = broadcast_shapes(im, n, broadcast_shapes(im, n, cond.shape, xs), ys);
  const auto cm = broadcast_map(cond.shape, out), xm = broadcast_map(xs, out),
             ym = broadcast_map(ys, out);
  Move m{{1, 2}, out, {}, {}};
  const int64_t nx = numel_of(xs);
  for (size_t i = 0; i < cm.size(); ++i) m.src.push_back(cond.f[cm[i]] != 0 ? xm[i] : nx + ym[i]);
  emit_move(im, n, m);
}

}  // namespace zk::onnx::conv

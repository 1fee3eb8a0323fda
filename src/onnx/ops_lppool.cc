// LpPool from existing model ops: y = (sum_window |x|^p)^(1/p): p = 1 an Abs
// table, p = 2 the product x*x, other p Abs and Pow tables; the window sum a
// Conv by a constant 0/1 kernel per channel (exact); then ^(1/p) (Sqrt for
// p = 2; none for p = 1). Each table's rounding is the lowering's usual bound
// for a table activation.
#include <algorithm>

#include "onnx/convert.h"

namespace zk::onnx::conv {
namespace {

struct Img {
  int x;
  int64_t C, H, W;
  bool one_d;
};

// Input 0 as [1,C,H,W] (a 1-D [1,C,L] viewed as [1,C,1,L]).
Img image_of(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  const Shape xs = im.full(x);
  if ((xs.size() != 3 && xs.size() != 4) || xs[0] != 1)
    im.fail(n,
            "expects a 1-D input [1,C,L] or a 2-D image [1,C,H,W] (batch 1), got " + shape_str(xs));
  Img g{x, xs[1], xs.size() == 4 ? xs[2] : 1, xs.back(), xs.size() == 3};
  if (g.one_d)
    g.x = im.emit(make(im, n, OpKind::kReshape, {x}, "/as_image"), n.output(0) + "/zk_image",
                  {1, g.C, 1, g.W});
  return g;
}

int emit_act(Importer& im, const Node& n, int x, const char* fn, std::vector<float> attrs,
             const Shape& shape) {
  FNode f = make(im, n, OpKind::kActivation, {x}, std::string("/") + fn);
  f.activation = fn;
  f.attrs = std::move(attrs);
  return im.emit(std::move(f), n.output(0) + "/zk_" + fn, shape);
}

int square(Importer& im, const Node& n, int x, const Shape& shape) {
  return im.emit(make(im, n, OpKind::kMul, {x, x}, "/square"), n.output(0) + "/zk_square", shape);
}

// Emits `f` as output 0 with shape [1,C,H,W], viewed back as [1,C,W] for 1-D.
void finish(Importer& im, const Node& n, FNode f, const Img& g, const Shape& out4) {
  if (!g.one_d) {
    im.emit(std::move(f), n.output(0), out4);
    return;
  }
  const int y = im.emit(std::move(f), n.output(0) + "/zk_image_out", out4);
  im.emit(make(im, n, OpKind::kReshape, {y}, "/from_image"), n.output(0), {1, out4[1], out4[3]});
}

}  // namespace

void conv_lp_pool(Importer& im, const Node& n) {
  const Img g = image_of(im, n);
  const size_t r = g.one_d ? 1 : 2;
  const Shape k = im.attr_ints(n, "kernel_shape", {});
  if (k.size() != r || *std::min_element(k.begin(), k.end()) < 1)
    im.fail_attr(n, "kernel_shape", "must be " + std::to_string(r) + " positive values");
  const Shape st = im.attr_ints(n, "strides", Shape(r, 1));
  if (st.size() != r || *std::min_element(st.begin(), st.end()) < 1)
    im.fail_attr(n, "strides", "must be " + std::to_string(r) + " positive values");
  Shape p = im.attr_ints(n, "pads", Shape(2 * r, 0));
  if (p.size() != 2 * r || *std::min_element(p.begin(), p.end()) < 0)
    im.fail_attr(n, "pads", "must be " + std::to_string(2 * r) + " non-negative values");
  check_auto_pad(im, n);
  check_one(im, n, "dilations", im.attr_ints(n, "dilations", Shape(r, 1)));
  if (im.attr_int(n, "ceil_mode", 0) != 0) im.fail_attr(n, "ceil_mode", "= 1 is not supported");
  const int64_t pw = im.attr_int(n, "p", 2);
  if (pw < 1 || pw > 8) im.fail_attr(n, "p", "= " + std::to_string(pw) + " is not in [1, 8]");
  const Shape k2 = g.one_d ? Shape{1, k[0]} : k, s2 = g.one_d ? Shape{1, st[0]} : st;
  const Shape p4 = g.one_d ? Shape{0, p[0], 0, p[1]} : p;
  const Shape s4{1, g.C, g.H, g.W};
  int a = g.x;
  if (pw == 2) {
    a = square(im, n, g.x, s4);
  } else {
    a = emit_act(im, n, g.x, "Abs", {}, s4);
    if (pw > 1) a = emit_act(im, n, a, "Pow", {static_cast<float>(pw)}, s4);
  }
  const int64_t ph = g.H + p4[0] + p4[2], pwid = g.W + p4[1] + p4[3];
  if (ph < k2[0] || pwid < k2[1]) im.fail(n, "kernel larger than the padded input");
  const Shape out4{1, g.C, (ph - k2[0]) / s2[0] + 1, (pwid - k2[1]) / s2[1] + 1};
  FNode c = make(im, n, OpKind::kConv, {a}, "/window_sum");
  c.weight = FTensor{{g.C, g.C, k2[0], k2[1]}, std::vector<float>(g.C * g.C * k2[0] * k2[1])};
  for (int64_t o = 0; o < g.C; ++o)
    for (int64_t e = 0; e < k2[0] * k2[1]; ++e)
      c.weight.data[(o * g.C + o) * k2[0] * k2[1] + e] = 1;
  c.bias = FTensor{{g.C}, std::vector<float>(g.C, 0.0f)};
  c.kernel = k2;
  c.strides = s2;
  c.pads = p4;
  if (pw == 1) return finish(im, n, std::move(c), g, out4);
  const int s = im.emit(std::move(c), n.output(0) + "/zk_window_sum", out4);
  FNode root = make(im, n, OpKind::kActivation, {s}, "/root");
  root.activation = pw == 2 ? "Sqrt" : "Pow";
  if (pw != 2) root.attrs = {1.0f / static_cast<float>(pw)};
  finish(im, n, std::move(root), g, out4);
}

}  // namespace zk::onnx::conv

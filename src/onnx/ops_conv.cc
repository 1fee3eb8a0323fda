// Conv, MaxPool and AveragePool in 1-D and 2-D. Everything is expressed with
// the 2-D model ops, exactly: a 1-D input [N,C,L] is the image [N,C,1,L];
// for pooling a batch of N images is the N*C channels of one (Reshape views),
// for a Conv the N images stacked along H with their padding between them
// (one Conv with the weight of one sample, then a gather of each sample's
// output rows); a grouped Conv (depthwise: group = C) is the dense Conv
// whose weight is block-diagonal over the groups; a dilated kernel is the
// dense kernel with zeros between its taps; auto_pad SAME_UPPER/SAME_LOWER
// and VALID become explicit pads; ceil_mode adds end padding up to the last
// window that starts inside the input (padding never wins a max, and an
// average counts only the input it covers).
#include <algorithm>

#include "onnx/convert.h"

namespace zk::onnx::conv {
namespace {

// The 2-D window of a 1-D or 2-D node: pads {top, left, bottom, right}.
struct Window2 {
  Shape kernel, strides, dilations, pads;
};

Shape two_d(const Shape& v, int64_t fill) { return v.size() == 1 ? Shape{fill, v[0]} : v; }

// Reads strides, dilations, pads and auto_pad for a window `kernel` (spatial
// rank r = 1 or 2) over spatial input dims `in`, and gives them in 2-D.
Window2 window_attrs(const Importer& im, const Node& n, const Shape& kernel, const Shape& in) {
  const size_t r = kernel.size();
  Window2 w;
  const Shape strides = im.attr_ints(n, "strides", Shape(r, 1));
  const Shape dil = im.attr_ints(n, "dilations", Shape(r, 1));
  if (strides.size() != r || *std::min_element(strides.begin(), strides.end()) <= 0)
    im.fail_attr(n, "strides", "must be " + std::to_string(r) + " positive values");
  if (dil.size() != r || *std::min_element(dil.begin(), dil.end()) <= 0 ||
      *std::max_element(dil.begin(), dil.end()) > 64)
    im.fail_attr(n, "dilations", "must be " + std::to_string(r) + " values in [1, 64]");
  Shape pads = im.attr_ints(n, "pads", Shape(2 * r, 0));
  const std::string ap = im.attr_string(n, "auto_pad", "NOTSET");
  if (ap == "VALID") {
    pads.assign(2 * r, 0);
  } else if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
    pads.assign(2 * r, 0);
    for (size_t i = 0; i < r; ++i) {
      const int64_t out = (in[i] + strides[i] - 1) / strides[i];
      const int64_t kd = (kernel[i] - 1) * dil[i] + 1;
      const int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + kd - in[i]);
      pads[i] = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
      pads[r + i] = total - pads[i];
    }
  } else if (ap != "NOTSET" && !ap.empty()) {
    im.fail_attr(n, "auto_pad",
                 "= " + ap + " is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER)");
  }
  if (pads.size() != 2 * r || *std::min_element(pads.begin(), pads.end()) < 0 ||
      *std::max_element(pads.begin(), pads.end()) > kMaxTensorElements)
    im.fail_attr(n, "pads",
                 std::string("must be ") + (r == 1 ? "two" : "four") + " values in [0, 2^28]");
  w.kernel = two_d(kernel, 1);
  w.strides = two_d(strides, 1);
  w.dilations = two_d(dil, 1);
  w.pads = r == 1 ? Shape{0, pads[0], 0, pads[1]} : pads;
  return w;
}

// Input 0 as one [1, N*C, H, W] image value: a 1-D [N,C,L] input is viewed
// as [N,C,1,L], and a batch of N images as the N*C channels of one image
// (pooling acts per channel; a Conv gets a weight per batch element).
struct Image {
  int x = -1;
  int64_t N = 1, C = 1;
  bool one_d = false;
};

Image image_value(Importer& im, const Node& n, int x) {
  const Shape xs = im.full(x);
  if (xs.size() != 3 && xs.size() != 4) {
    im.fail(n,
            "expects a 1-D input [N,C,L], a 2-D image [N,C,H,W] or a 3-D input [N,C,D,H,W], got " +
                shape_str(xs));
  }
  Image img{x, xs[0], xs[1], xs.size() == 3};
  const Shape as4 = {1, xs[0] * xs[1], img.one_d ? 1 : xs[2], xs.back()};
  if (as4 != xs)
    img.x =
        im.emit(make(im, n, OpKind::kReshape, {x}, "/as_image"), n.output(0) + "/zk_image", as4);
  return img;
}

// Emits the 2-D node f with output [1, N*Ch, OH, OW], viewed back as
// [N, Ch, OH, OW] (or [N, Ch, OW] for a 1-D input).
void emit_spatial(Importer& im, const Node& n, FNode f, const Image& img, const Shape& out4) {
  const int64_t ch = out4[1] / img.N;
  const Shape want = img.one_d ? Shape{img.N, ch, out4[3]} : Shape{img.N, ch, out4[2], out4[3]};
  if (want == out4) {
    im.emit(std::move(f), n.output(0), out4);
    return;
  }
  const int y = im.emit(std::move(f), n.output(0) + "/zk_image_out", out4);
  im.emit(make(im, n, OpKind::kReshape, {y}, "/from_image"), n.output(0), want);
}

// The dense [O, C, KH', KW'] kernel of a grouped, dilated one.
FTensor dense_kernel(const Const& W, int64_t C, int64_t group, const Shape& dil) {
  const int64_t O = W.shape[0], Cg = W.shape[1], KH = W.shape[2], KW = W.shape[3];
  const int64_t DH = (KH - 1) * dil[0] + 1, DW = (KW - 1) * dil[1] + 1, Og = O / group;
  FTensor d{{O, C, DH, DW}, std::vector<float>(O * C * DH * DW, 0.0f)};
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < Cg; ++c)
      for (int64_t ky = 0; ky < KH; ++ky)
        for (int64_t kx = 0; kx < KW; ++kx) {
          const int64_t ci = (o / Og) * Cg + c;
          d.data[((o * C + ci) * DH + ky * dil[0]) * DW + kx * dil[1]] =
              W.f[((o * Cg + c) * KH + ky) * KW + kx];
        }
  return d;
}

// The Conv's bias B (zeros when absent), one value per output channel.
FTensor conv_bias(const Importer& im, const Node& n, int64_t O) {
  FTensor t{{O}, std::vector<float>(O, 0.0f)};
  if (!im.has_input(n, 2)) return t;
  const Const& b = im.cst(n, 2, "bias B");
  if (b.numel() != O && b.numel() != 1) im.fail(n, "bias must have one value per output");
  for (int64_t o = 0; o < O; ++o) t.data[o] = b.f[b.numel() == 1 ? 0 : o];
  return t;
}

// A batch of N > 1 images [N,C,H,W] (viewed as [1,N*C,H,W]) as one image of
// the N samples stacked along H, each with its own vertical padding and
// apart by a multiple of the stride, so that no window reaches into another
// sample: one Conv with the weight of one sample (cost linear in N), and the
// output rows of each sample gathered back into [N,O,OH,OW]. Exact.
void emit_stacked_conv(Importer& im, const Node& n, const Image& img, const Const& W, int64_t group,
                       const Window2& w) {
  const Shape xs = im.full(img.x);  // [1, N*C, H, W]
  const int64_t N = img.N, C = img.C, H = xs[2], Wd = xs[3], O = W.shape[0];
  FNode f = make(im, n, OpKind::kConv, {});
  f.weight = dense_kernel(W, C, group, w.dilations);
  const int64_t KH = f.weight.shape[2], KW = f.weight.shape[3], sh = w.strides[0];
  const int64_t hp = H + w.pads[0] + w.pads[2], pw = Wd + w.pads[1] + w.pads[3];
  if (hp < KH || pw < KW) im.fail(n, "kernel larger than the padded input");
  const int64_t OH = (hp - KH) / sh + 1, OW = (pw - KW) / w.strides[1] + 1;
  const int64_t Hs = (hp + sh - 1) / sh * sh;  // rows per sample, a multiple of the stride
  check_size({1, C, N * Hs, Wd}, "node '" + im.node_name(n) + "': the stacked batch");
  FNode st = make(im, n, OpKind::kMove, {img.x}, "/stack_batch");
  st.src.assign(C * N * Hs * Wd, -1);  // -1: a zero row of padding
  for (int64_t c = 0; c < C; ++c)
    for (int64_t b = 0; b < N; ++b)
      for (int64_t r = 0; r < H; ++r)
        for (int64_t x = 0; x < Wd; ++x)
          st.src[((c * N + b) * Hs + w.pads[0] + r) * Wd + x] = ((b * C + c) * H + r) * Wd + x;
  const int s = im.emit(std::move(st), n.output(0) + "/zk_stacked", {1, C, N * Hs, Wd});
  f.inputs = {s};
  f.bias = conv_bias(im, n, O);
  f.kernel = {KH, KW};
  f.strides = w.strides;
  f.pads = {0, w.pads[1], 0, w.pads[3]};
  const int64_t OHt = (N * Hs - KH) / sh + 1;
  const int y = im.emit(std::move(f), n.output(0) + "/zk_stacked_out", {1, O, OHt, OW});
  FNode un = make(im, n, OpKind::kMove, {y}, "/unstack_batch");
  un.src.resize(N * O * OH * OW);
  for (int64_t b = 0; b < N; ++b)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t j = 0; j < OH; ++j)
        for (int64_t x = 0; x < OW; ++x)
          un.src[((b * O + o) * OH + j) * OW + x] = (o * OHt + b * Hs / sh + j) * OW + x;
  im.emit(std::move(un), n.output(0), img.one_d ? Shape{N, O, OW} : Shape{N, O, OH, OW});
}

}  // namespace

void conv_conv(Importer& im, const Node& n) {
  const Sym& s = im.sym(n, 0);
  if (s.is_const()) im.fail(n, "input X is a constant");
  if (im.full(s.value).size() == 5) return conv_conv3d(im, n, s.value);  // ops_conv3d.cc
  const std::array<int64_t, 4> pending = s.pending_pad;
  const bool has_pending = s.has_pending_pad;
  const Image img = image_value(im, n, s.value);
  const Shape xs = im.full(img.x);
  const Const& W0 = im.cst(n, 1, "weight W");
  Const W = W0;
  if (img.one_d && W.shape.size() == 3) W.shape = {W.shape[0], W.shape[1], 1, W.shape[2]};
  const int64_t group = im.attr_int(n, "group", 1), C = img.C;
  if (group < 1 || C % group != 0)
    im.fail_attr(n, "group", "= " + std::to_string(group) + " must divide the channels");
  if (W.shape.size() != 4 || W.shape[1] * group != C || W.shape[0] % group != 0) {
    im.fail(n, "weight of shape " + shape_str(W0.shape) + " does not fit input " +
                   shape_str(im.full(s.value)) + " with group " + std::to_string(group));
  }
  const Shape kernel = img.one_d ? Shape{W.shape[3]} : Shape{W.shape[2], W.shape[3]};
  if (im.attr(n, "kernel_shape") && im.attr_ints(n, "kernel_shape", {}) != kernel) {
    im.fail_attr(n, "kernel_shape", "does not match the weight shape " + shape_str(W0.shape));
  }
  const Shape in_sp = img.one_d ? Shape{xs[3]} : Shape{xs[2], xs[3]};
  Window2 w = window_attrs(im, n, kernel, in_sp);
  if (has_pending) {  // fold the preceding zero Pad
    for (int i = 0; i < 4; ++i) w.pads[i] += pending[i];
  }
  const int64_t O = W.shape[0];
  if (img.N > 1) return emit_stacked_conv(im, n, img, W, group, w);
  FNode f = make(im, n, OpKind::kConv, {img.x});
  f.weight = dense_kernel(W, C, group, w.dilations);
  const int64_t KH = f.weight.shape[2], KW = f.weight.shape[3];
  const int64_t ph = xs[2] + w.pads[0] + w.pads[2], pw = xs[3] + w.pads[1] + w.pads[3];
  if (ph < KH || pw < KW) im.fail(n, "kernel larger than the padded input");
  f.bias = conv_bias(im, n, O);
  f.kernel = {KH, KW};
  f.strides = w.strides;
  f.pads = w.pads;
  const Shape out4 = {1, O, (ph - KH) / w.strides[0] + 1, (pw - KW) / w.strides[1] + 1};
  emit_spatial(im, n, std::move(f), img, out4);
}

void conv_pool(Importer& im, const Node& n, bool is_max) {
  const int x5 = im.act(n, 0, "input");
  if (im.full(x5).size() == 5) return conv_pool3d(im, n, x5, is_max);  // ops_conv3d.cc
  const Image img = image_value(im, n, im.act(n, 0, "input"));
  const bool one_d = img.one_d;
  const int x = img.x;
  const Shape xs = im.full(x);
  const Shape kernel = im.attr_ints(n, "kernel_shape", {});
  const size_t r = one_d ? 1 : 2;
  if (kernel.size() != r || *std::min_element(kernel.begin(), kernel.end()) <= 0) {
    im.fail_attr(n, "kernel_shape", "must be " + std::to_string(r) + " positive values");
  }
  const Shape in_sp = one_d ? Shape{xs[3]} : Shape{xs[2], xs[3]};
  Window2 w = window_attrs(im, n, kernel, in_sp);
  if (!is_max) check_one(im, n, "dilations", w.dilations);
  // The dilated window's extent.
  const Shape k2 = {(w.kernel[0] - 1) * w.dilations[0] + 1, (w.kernel[1] - 1) * w.dilations[1] + 1};
  // ceil_mode: the output counts every window that starts inside the input
  // or its leading padding; the last ones get more end padding.
  const bool ceil = im.attr_int(n, "ceil_mode", 0) != 0;
  Shape out(2);
  for (int a = 0; a < 2; ++a) {
    const int64_t span = xs[2 + a] + w.pads[a] + w.pads[2 + a] - k2[a];
    if (span < 0) im.fail(n, "kernel larger than the input");
    out[a] = (ceil ? (span + w.strides[a] - 1) / w.strides[a] : span / w.strides[a]) + 1;
    if (ceil && (out[a] - 1) * w.strides[a] >= xs[2 + a] + w.pads[a]) --out[a];
    const int64_t need = (out[a] - 1) * w.strides[a] + k2[a] - xs[2 + a] - w.pads[a];
    if (need > w.pads[2 + a]) {
      if (!is_max && im.attr_int(n, "count_include_pad", 0) != 0)
        im.fail_attr(n, "ceil_mode", "= 1 with count_include_pad = 1 is not supported");
      w.pads[2 + a] = need;
    }
  }
  for (size_t i = 0; i < 4; ++i) {
    if (w.pads[i] >= k2[i % 2])
      im.fail_attr(n, "pads", "= " + shape_str(w.pads) + " must be smaller than the kernel");
  }
  FNode f = make(im, n, is_max ? OpKind::kMaxPool : OpKind::kAvgPool, {x});
  f.kernel = w.kernel;
  f.strides = w.strides;
  f.pads = w.pads;
  if (w.dilations != Shape{1, 1}) f.dilations = w.dilations;
  if (!is_max) f.count_include_pad = im.attr_int(n, "count_include_pad", 0) != 0;
  emit_spatial(im, n, std::move(f), img, {1, xs[1], out[0], out[1]});
}

}  // namespace zk::onnx::conv

// Conv, MaxPool and AveragePool on 3-D inputs [N,C,D,H,W], any batch N,
// expressed exactly with the 2-D model ops:
// - Conv: every output depth z of every sample b reads the KD input depth
//   slices z*sd + kd*dd - pd (zero outside); those slices are the KD*C
//   channels of one 2-D image, and the N*OD images are stacked along H with
//   their own vertical padding, apart by a multiple of the stride (no window
//   reaches into another image). One 2-D Conv with the kernel [O, KD*C, KH,
//   KW] (the 3-D kernel's depth taps as channels), then a gather of each
//   image's rows into [N,O,OD,OH,OW].
// - Pooling is separable over a box: a 2-D pool over (H,W) of the N*C*D
//   channels, then a pool with kernel (KD,1) over (D, OH*OW) of the N*C
//   channels. The max of maxes is the max; the valid part of a window is a
//   box, so its element count is the product of the per-axis counts and the
//   mean of the per-depth means (each over the same count) is the mean
//   (count_include_pad = 1: the kernel sizes multiply).
#include <algorithm>

#include "onnx/convert.h"

namespace zk::onnx::conv {
namespace {

// strides, dilations and pads {d0,h0,w0,d1,h1,w1} of a 3-D window over the
// spatial dims `in` (auto_pad resolved).
struct Window3 {
  Shape strides, dilations, pads;
};

Window3 window3(const Importer& im, const Node& n, const Shape& kernel, const Shape& in) {
  Window3 w;
  w.strides = im.attr_ints(n, "strides", {1, 1, 1});
  w.dilations = im.attr_ints(n, "dilations", {1, 1, 1});
  w.pads = im.attr_ints(n, "pads", Shape(6, 0));
  if (w.strides.size() != 3 || *std::min_element(w.strides.begin(), w.strides.end()) <= 0 ||
      *std::max_element(w.strides.begin(), w.strides.end()) > 64)
    im.fail_attr(n, "strides", "must be 3 values in [1, 64]");
  if (w.dilations.size() != 3 || *std::min_element(w.dilations.begin(), w.dilations.end()) <= 0 ||
      *std::max_element(w.dilations.begin(), w.dilations.end()) > 64)
    im.fail_attr(n, "dilations", "must be 3 values in [1, 64]");
  const std::string ap = im.attr_string(n, "auto_pad", "NOTSET");
  if (ap == "VALID") {
    w.pads.assign(6, 0);
  } else if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
    w.pads.assign(6, 0);
    for (size_t i = 0; i < 3; ++i) {
      const int64_t out = (in[i] + w.strides[i] - 1) / w.strides[i];
      const int64_t kd = (kernel[i] - 1) * w.dilations[i] + 1;
      const int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + kd - in[i]);
      w.pads[i] = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.pads[3 + i] = total - w.pads[i];
    }
  } else if (ap != "NOTSET" && !ap.empty()) {
    im.fail_attr(n, "auto_pad",
                 "= " + ap + " is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER)");
  }
  if (w.pads.size() != 6 || *std::min_element(w.pads.begin(), w.pads.end()) < 0 ||
      *std::max_element(w.pads.begin(), w.pads.end()) > 4096)
    im.fail_attr(n, "pads", "must be 6 values in [0, 4096]");
  return w;
}

// Output size along one axis: input `in`, dilated kernel `k`, pads, stride.
int64_t out_len(const Importer& im, const Node& n, int64_t in, int64_t k, int64_t p0, int64_t p1,
                int64_t s) {
  if (in + p0 + p1 < k) im.fail(n, "kernel larger than the padded input");
  return (in + p0 + p1 - k) / s + 1;
}

// The 2-D kernel [O, KD*C, KH', KW'] of a 3-D one [O, C/group, KD, KH, KW]:
// depth tap kd of input channel c is channel kd*C + c; block-diagonal over
// the groups, zeros between dilated (H,W) taps.
FTensor depth_kernel(const Const& W, int64_t C, int64_t group, const Shape& dl) {
  const int64_t O = W.shape[0], Cg = W.shape[1], KD = W.shape[2], KH = W.shape[3], KW = W.shape[4];
  const int64_t DH = (KH - 1) * dl[1] + 1, DW = (KW - 1) * dl[2] + 1, CK = KD * C, Og = O / group;
  FTensor t{{O, CK, DH, DW}, std::vector<float>(O * CK * DH * DW, 0.0f)};
  for (int64_t o = 0; o < O; ++o)
    for (int64_t cg = 0; cg < Cg; ++cg)
      for (int64_t kd = 0; kd < KD; ++kd)
        for (int64_t ky = 0; ky < KH; ++ky)
          for (int64_t kx = 0; kx < KW; ++kx) {
            const int64_t ci = (o / Og) * Cg + cg;
            t.data[((o * CK + kd * C + ci) * DH + ky * dl[1]) * DW + kx * dl[2]] =
                W.f[(((o * Cg + cg) * KD + kd) * KH + ky) * KW + kx];
          }
  return t;
}

}  // namespace

void conv_conv3d(Importer& im, const Node& n, int x) {
  const Shape xs = im.full(x);  // [N,C,D,H,W]
  const int64_t N = xs[0], C = xs[1], D = xs[2], H = xs[3], Wd = xs[4];
  const Const& W = im.cst(n, 1, "weight W");
  const int64_t group = im.attr_int(n, "group", 1);
  if (group < 1 || C % group != 0)
    im.fail_attr(n, "group", "= " + std::to_string(group) + " must divide the channels");
  if (W.shape.size() != 5 || W.shape[1] * group != C || W.shape[0] % group != 0)
    im.fail(n, "weight of shape " + shape_str(W.shape) + " does not fit input " + shape_str(xs) +
                   " with group " + std::to_string(group));
  const int64_t O = W.shape[0], KD = W.shape[2], KH = W.shape[3], KW = W.shape[4];
  const Shape kernel = {KD, KH, KW};
  if (im.attr(n, "kernel_shape") && im.attr_ints(n, "kernel_shape", {}) != kernel)
    im.fail_attr(n, "kernel_shape", "does not match the weight shape " + shape_str(W.shape));
  const Window3 w = window3(im, n, kernel, {D, H, Wd});
  const Shape& s = w.strides;
  const Shape& dl = w.dilations;
  const Shape& p = w.pads;
  const int64_t DH = (KH - 1) * dl[1] + 1, DW = (KW - 1) * dl[2] + 1;
  const int64_t OD = out_len(im, n, D, (KD - 1) * dl[0] + 1, p[0], p[3], s[0]);
  const int64_t OH = out_len(im, n, H, DH, p[1], p[4], s[1]);
  const int64_t OW = out_len(im, n, Wd, DW, p[2], p[5], s[2]);
  const int64_t hp = H + p[1] + p[4], Hs = (hp + s[1] - 1) / s[1] * s[1], M = N * OD;
  const int64_t CK = KD * C;
  check_size({1, CK, M * Hs, Wd}, "node '" + im.node_name(n) + "': the stacked depth slices");
  // Stacked image: channel kd*C + c, rows of image m = b*OD + z.
  FNode st = make(im, n, OpKind::kMove, {x}, "/stack_depth");
  st.src.assign(CK * M * Hs * Wd, -1);  // -1: zero (padding)
  for (int64_t kd = 0; kd < KD; ++kd)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t b = 0; b < N; ++b)
        for (int64_t z = 0; z < OD; ++z) {
          const int64_t iz = z * s[0] + kd * dl[0] - p[0];
          if (iz < 0 || iz >= D) continue;
          for (int64_t r = 0; r < H; ++r)
            for (int64_t xx = 0; xx < Wd; ++xx)
              st.src[(((kd * C + c) * M + b * OD + z) * Hs + p[1] + r) * Wd + xx] =
                  (((b * C + c) * D + iz) * H + r) * Wd + xx;
        }
  const int img = im.emit(std::move(st), n.output(0) + "/zk_depth_stack", {1, CK, M * Hs, Wd});
  FNode f = make(im, n, OpKind::kConv, {img});
  f.weight = depth_kernel(W, C, group, dl);
  f.bias = FTensor{{O}, std::vector<float>(O, 0.0f)};
  if (im.has_input(n, 2)) {
    const Const& b = im.cst(n, 2, "bias B");
    if (b.numel() != O && b.numel() != 1) im.fail(n, "bias must have one value per output");
    for (int64_t o = 0; o < O; ++o) f.bias.data[o] = b.f[b.numel() == 1 ? 0 : o];
  }
  f.kernel = {DH, DW};
  f.strides = {s[1], s[2]};
  f.pads = {0, p[2], 0, p[5]};
  const int64_t OHt = (M * Hs - DH) / s[1] + 1;
  const int y = im.emit(std::move(f), n.output(0) + "/zk_depth_out", {1, O, OHt, OW});
  FNode un = make(im, n, OpKind::kMove, {y}, "/unstack_depth");
  un.src.resize(M * O * OH * OW);
  for (int64_t b = 0; b < N; ++b)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t z = 0; z < OD; ++z)
        for (int64_t j = 0; j < OH; ++j)
          for (int64_t xx = 0; xx < OW; ++xx)
            un.src[(((b * O + o) * OD + z) * OH + j) * OW + xx] =
                (o * OHt + (b * OD + z) * Hs / s[1] + j) * OW + xx;
  im.emit(std::move(un), n.output(0), {N, O, OD, OH, OW});
}

void conv_pool3d(Importer& im, const Node& n, int x, bool is_max) {
  const Shape xs = im.full(x);  // [N,C,D,H,W]
  const int64_t N = xs[0], C = xs[1], D = xs[2], H = xs[3], Wd = xs[4];
  const Shape kernel = im.attr_ints(n, "kernel_shape", {});
  if (kernel.size() != 3 || *std::min_element(kernel.begin(), kernel.end()) <= 0)
    im.fail_attr(n, "kernel_shape", "must be 3 positive values");
  if (im.attr_int(n, "ceil_mode", 0) != 0)
    im.fail_attr(n, "ceil_mode", "= 1 is not supported for 3-D pooling (only 0)");
  const Window3 w = window3(im, n, kernel, {D, H, Wd});
  check_one(im, n, "dilations", w.dilations);
  const Shape& p = w.pads;
  for (size_t i = 0; i < 6; ++i)
    if (p[i] >= kernel[i % 3])
      im.fail_attr(n, "pads", "= " + shape_str(p) + " must be smaller than the kernel");
  const int64_t OD = out_len(im, n, D, kernel[0], p[0], p[3], w.strides[0]);
  const int64_t OH = out_len(im, n, H, kernel[1], p[1], p[4], w.strides[1]);
  const int64_t OW = out_len(im, n, Wd, kernel[2], p[2], p[5], w.strides[2]);
  const OpKind kind = is_max ? OpKind::kMaxPool : OpKind::kAvgPool;
  const bool incl = !is_max && im.attr_int(n, "count_include_pad", 0) != 0;
  const std::string& o = n.output(0);
  // (H, W) of the N*C*D channels.
  const int a =
      im.emit(make(im, n, OpKind::kReshape, {x}, "/as_hw"), o + "/zk_hw", {1, N * C * D, H, Wd});
  FNode f1 = make(im, n, kind, {a}, "/hw");
  f1.kernel = {kernel[1], kernel[2]};
  f1.strides = {w.strides[1], w.strides[2]};
  f1.pads = {p[1], p[2], p[4], p[5]};
  f1.count_include_pad = incl;
  const int b1 = im.emit(std::move(f1), o + "/zk_hw_out", {1, N * C * D, OH, OW});
  // D of the N*C channels, with (OH, OW) flattened.
  const int b2 =
      im.emit(make(im, n, OpKind::kReshape, {b1}, "/as_d"), o + "/zk_d", {1, N * C, D, OH * OW});
  FNode f2 = make(im, n, kind, {b2}, "/d");
  f2.kernel = {kernel[0], 1};
  f2.strides = {w.strides[0], 1};
  f2.pads = {p[0], 0, p[3], 0};
  f2.count_include_pad = incl;
  const int b3 = im.emit(std::move(f2), o + "/zk_d_out", {1, N * C, OD, OH * OW});
  im.emit(make(im, n, OpKind::kReshape, {b3}, "/from_d"), o, {N, C, OD, OH, OW});
}

}  // namespace zk::onnx::conv

// ConvTranspose (1-D and 2-D, any group, strides, dilations, pads,
// output_padding) as existing model ops, exactly: the input moved into a
// zero-stuffed, padded image P (a kMove: each input pixel at stride s, zeros
// between and around; negative padding crops), then a stride-1 Conv over P
// with the flipped, transposed (and dilated) kernel:
//   Y[o][y] = sum_{c,t} P[c][y + t] Wc[o][c][t],  Wc[o][c][(K-1-k)d] = W[c][o][k]
// equals ConvTranspose's Y[o][u s + k d - pad_begin] += X[c][u] W[c][o][k].
#include "onnx/convert.h"

namespace zk::onnx::conv {

namespace {

// The Conv kernel [N*M, N*C, EH, EW] of ConvTranspose weight W [C, M/group,
// KH, KW]: flipped, transposed per group, dilated, block diagonal over the
// batch of N (whose images are the N*C channels of one).
FTensor flipped_kernel(const Const& Wt, int64_t N, int64_t C, int64_t group, const Shape& d) {
  const bool one_d = Wt.shape.size() == 3;
  const int64_t Mg = Wt.shape[1], M = Mg * group, Cg = C / group;
  const int64_t KH = one_d ? 1 : Wt.shape[2], KW = Wt.shape.back();
  const int64_t EH = (KH - 1) * d[0] + 1, EW = (KW - 1) * d[1] + 1;
  const int64_t NM = N * M, NC = N * C;
  FTensor k{{NM, NC, EH, EW}, std::vector<float>(NM * NC * EH * EW, 0.0f)};
  for (int64_t ci = 0; ci < NC; ++ci)
    for (int64_t m = 0; m < Mg; ++m)
      for (int64_t ky = 0; ky < KH; ++ky)
        for (int64_t kx = 0; kx < KW; ++kx) {
          const int64_t o = (ci / Cg) * Mg + m;  // groups over the N*C channels
          k.data[((o * NC + ci) * EH + (KH - 1 - ky) * d[0]) * EW + (KW - 1 - kx) * d[1]] =
              Wt.f[(((ci % C) * Mg + m) * KH + ky) * KW + kx];
        }
  return k;
}

}  // namespace

void conv_conv_transpose(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  const Shape xs0 = im.full(x);
  if (xs0.size() != 3 && xs0.size() != 4)
    im.fail(n, "expects a 1-D input [N,C,L] or a 2-D image [N,C,H,W], got " + shape_str(xs0));
  const bool one_d = xs0.size() == 3;
  const size_t r = one_d ? 1 : 2;
  const int64_t N = xs0[0], C = xs0[1], H = one_d ? 1 : xs0[2], W = xs0.back();
  const Const& Wt = im.cst(n, 1, "weight W");
  const int64_t group = im.attr_int(n, "group", 1);
  if (Wt.shape.size() != r + 2 || group < 1 || C % group != 0 || Wt.shape[0] != C)
    im.fail(n, "weight of shape " + shape_str(Wt.shape) + " does not fit input " + shape_str(xs0) +
                   " with group " + std::to_string(group));
  const std::string ap = im.attr_string(n, "auto_pad", "NOTSET");
  if (ap != "NOTSET" && !ap.empty()) im.fail_attr(n, "auto_pad", "= " + ap + " is not supported");
  if (im.attr(n, "output_shape"))
    im.fail_attr(n, "output_shape", "is not supported (give pads and output_padding)");
  auto two = [&](const char* name, int64_t def, int64_t lo) {
    Shape v = im.attr_ints(n, name, Shape(r, def));
    if (v.size() != r) im.fail_attr(n, name, "must have " + std::to_string(r) + " values");
    for (auto d : v)
      if (d < lo || d > 64)
        im.fail_attr(n, name, "values must be in [" + std::to_string(lo) + ", 64]");
    return one_d ? Shape{def, v[0]} : v;
  };
  const Shape s = two("strides", 1, 1), d = two("dilations", 1, 1),
              op = two("output_padding", 0, 0);
  Shape p = im.attr_ints(n, "pads", Shape(2 * r, 0));
  if (p.size() != 2 * r) im.fail_attr(n, "pads", "must have " + std::to_string(2 * r) + " values");
  if (one_d) p = {0, p[0], 0, p[1]};
  for (int i = 0; i < 2; ++i)
    if (op[i] >= s[i] && op[i] >= d[i])
      im.fail_attr(n, "output_padding", "must be smaller than the stride or the dilation");
  const int64_t Mg = Wt.shape[1], M = Mg * group;
  const int64_t KH = one_d ? 1 : Wt.shape[2], KW = Wt.shape.back();
  const int64_t EH = (KH - 1) * d[0] + 1, EW = (KW - 1) * d[1] + 1;
  const int64_t Ho = s[0] * (H - 1) + op[0] + EH - p[0] - p[2];
  const int64_t Wo = s[1] * (W - 1) + op[1] + EW - p[1] - p[3];
  if (Ho < 1 || Wo < 1) im.fail(n, "the pads leave an empty output");
  const int64_t Hp = Ho + EH - 1, Wp = Wo + EW - 1;
  check_size({N * C, Hp, Wp}, "node '" + im.node_name(n) + "' (ConvTranspose) stuffed input");
  check_size({N * M, N * C, EH, EW}, "node '" + im.node_name(n) + "' (ConvTranspose) kernel");
  // P: the zero-stuffed, padded input; a batch of N as N*C channels.
  FNode mv = make(im, n, OpKind::kMove, {x}, "/stuff");
  auto at = [](int64_t y, int64_t lead, int64_t st, int64_t len) {
    const int64_t u = y - lead;
    return u >= 0 && u % st == 0 && u / st < len ? u / st : -1;
  };
  for (int64_t c = 0; c < N * C; ++c)
    for (int64_t y = 0; y < Hp; ++y)
      for (int64_t xx = 0; xx < Wp; ++xx) {
        const int64_t u = at(y, EH - 1 - p[0], s[0], H), v = at(xx, EW - 1 - p[1], s[1], W);
        mv.src.push_back(u < 0 || v < 0 ? -1 : (c * H + u) * W + v);
      }
  const int pv = im.emit(std::move(mv), n.output(0) + "/zk_stuffed", {1, N * C, Hp, Wp});
  FNode f = make(im, n, OpKind::kConv, {pv});
  const int64_t NM = N * M;
  f.weight = flipped_kernel(Wt, N, C, group, d);
  f.bias = FTensor{{NM}, std::vector<float>(NM, 0.0f)};
  if (im.has_input(n, 2)) {
    const Const& b = im.cst(n, 2, "bias B");
    if (b.numel() != M) im.fail(n, "bias must have one value per output channel");
    for (int64_t o = 0; o < NM; ++o) f.bias.data[o] = b.f[o % M];
  }
  f.kernel = {EH, EW};
  f.strides = {1, 1};
  f.pads = {0, 0, 0, 0};
  const Shape out4{1, NM, Ho, Wo};
  const Shape want = one_d ? Shape{N, M, Wo} : Shape{N, M, Ho, Wo};
  if (want == out4) {
    im.emit(std::move(f), n.output(0), out4);
    return;
  }
  const int y = im.emit(std::move(f), n.output(0) + "/zk_image_out", out4);
  im.emit(make(im, n, OpKind::kReshape, {y}, "/from_image"), n.output(0), want);
}

}  // namespace zk::onnx::conv

// Resize (opset 10+) and Upsample (7-9). Nearest mode is an index map
// (move.h); linear mode is a fixed linear map, separable per axis, emitted as
// one Gemm whose constant matrix holds the products of the per-axis
// interpolation weights (refused when that matrix would be too large).
#include <cmath>

#include "onnx/move.h"

namespace zk::onnx::conv {
namespace {

// The input coordinate of output coordinate x along an axis of size `in`
// scaled to `out` (ONNX Resize's coordinate_transformation_mode).
double source_coord(const Importer& im, const Node& n, const std::string& ctm, int64_t x,
                    int64_t in, int64_t out, double scale) {
  if (ctm == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (ctm == "pytorch_half_pixel") return out > 1 ? (x + 0.5) / scale - 0.5 : 0;
  if (ctm == "align_corners") return out > 1 ? x * double(in - 1) / double(out - 1) : 0;
  if (ctm == "asymmetric") return x / scale;
  if (ctm == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  im.fail_attr(n, "coordinate_transformation_mode", "= " + ctm + " is not supported");
}

int64_t round_nearest(const Importer& im, const Node& n, const std::string& nm, double c,
                      int64_t in) {
  double v;
  if (nm == "round_prefer_floor")
    v = c == std::floor(c) + 0.5 ? std::floor(c) : std::round(c);
  else if (nm == "round_prefer_ceil")
    v = std::round(c);
  else if (nm == "floor")
    v = std::floor(c);
  else if (nm == "ceil")
    v = std::ceil(c);
  else
    im.fail_attr(n, "nearest_mode", "= " + nm + " is not supported");
  return std::clamp<int64_t>(static_cast<int64_t>(v), 0, in - 1);
}

// Per axis and output coordinate: the two input coordinates and weights.
struct Lerp {
  int64_t i0, i1;
  double w0, w1;
};

// out[o] = sum_i M[o, i] x[i], M the product over axes of their lerps.
void emit_linear(Importer& im, const Node& n, const Shape& in, const Shape& out,
                 const std::vector<std::vector<Lerp>>& lerp) {
  const int64_t I = numel_of(in), O = numel_of(out);
  if (I > 0 && O > (int64_t{1} << 24) / I)
    im.fail(n, "linear resize of " + shape_str(in) + " to " + shape_str(out) +
                   " is too large (its matrix would exceed 2^24 entries; use mode nearest)");
  const int x = im.act(n, 0, "X");
  FNode g = make(im, n, OpKind::kGemm, {x});
  g.weight = FTensor{{O, I}, std::vector<float>(O * I, 0.0f)};
  g.bias = FTensor{{O}, std::vector<float>(O, 0.0f)};
  const Shape st = strides_of(in);
  const size_t r = in.size();
  int64_t o = 0;
  for_each_index(out, [&](const Shape& idx) {
    for (uint32_t corner = 0; corner < (1u << r); ++corner) {
      double w = 1;
      int64_t s = 0;
      for (size_t d = 0; d < r; ++d) {
        const Lerp& l = lerp[d][idx[d]];
        const bool hi = (corner >> d) & 1;
        w *= hi ? l.w1 : l.w0;
        s += (hi ? l.i1 : l.i0) * st[d];
      }
      if (w != 0) g.weight.data[o * I + s] += static_cast<float>(w);
    }
    ++o;
  });
  const int gv = im.emit(std::move(g), n.output(0) + "/zk_resize", {1, O});
  im.emit(make(im, n, OpKind::kReshape, {gv}, "/reshape"), n.output(0), out);
}

// Opset 18's additions: `axes` (scales or sizes for those axes only, the
// others kept), keep_aspect_ratio_policy (stretch only) and antialias (only
// where it changes nothing: no linear downscaling).
void resize18_forms(const Importer& im, const Node& n, const Shape& in, std::vector<float>& scales,
                    Shape& sizes) {
  const std::string policy = im.attr_string(n, "keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch" && !sizes.empty())
    im.fail_attr(n, "keep_aspect_ratio_policy", "= " + policy + " is not supported (stretch)");
  const Shape axes = im.attr_ints(n, "axes", {});
  if (!axes.empty()) {
    const int64_t r = static_cast<int64_t>(in.size());
    std::vector<float> full_scales(in.size(), 1.0f);
    Shape full_sizes = in;
    for (size_t k = 0; k < axes.size(); ++k) {
      const int64_t a = norm_axis(im, n, axes[k], r);
      if (!scales.empty() && k < scales.size()) full_scales[a] = scales[k];
      if (!sizes.empty() && k < sizes.size()) full_sizes[a] = sizes[k];
    }
    if ((!scales.empty() && scales.size() != axes.size()) ||
        (!sizes.empty() && sizes.size() != axes.size()))
      im.fail(n, "scales or sizes must have one entry per axis in 'axes'");
    if (!scales.empty()) scales = full_scales;
    if (!sizes.empty()) sizes = full_sizes;
  }
  if (im.attr_int(n, "antialias", 0) != 0 && im.attr_string(n, "mode", "nearest") == "linear") {
    bool down = false;
    for (size_t d = 0; d < in.size(); ++d)
      down = down || (!sizes.empty() ? sizes[d] < in[d] : (!scales.empty() && scales[d] < 1.0f));
    if (down) im.fail_attr(n, "antialias", "= 1 is not supported when downscaling (only 0)");
  }
}

}  // namespace

void conv_resize(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const bool upsample = n.op_type() == "Upsample";
  std::string mode = im.attr_string(n, "mode", "nearest");
  if (mode == "bilinear") mode = "linear";  // Upsample-7's name
  if (mode != "nearest" && mode != "linear")
    im.fail_attr(n, "mode", "= " + mode + " is not supported (nearest or linear)");
  std::vector<float> scales;
  Shape sizes;
  if (upsample && im.opset() < 9) {
    const auto* a = im.attr(n, "scales");
    if (!a) im.fail(n, "missing attribute 'scales'");
    scales.assign(a->floats().begin(), a->floats().end());
  } else {
    const int si = upsample || im.opset() < 11 ? 1 : 2;
    if (im.has_input(n, si) && im.cst(n, si, "scales").numel() > 0)
      scales = im.cst(n, si, "scales").f;
    if (!upsample && im.opset() >= 11 && im.has_input(n, 3)) sizes = const_ints(im, n, 3, "sizes");
  }
  if (!upsample && im.opset() >= 18) resize18_forms(im, n, in, scales, sizes);
  Shape out = in;
  if (!sizes.empty()) {
    if (sizes.size() != in.size()) im.fail(n, "sizes must have one entry per axis");
    out = sizes;
    scales.clear();
    for (size_t d = 0; d < in.size(); ++d) scales.push_back(float(double(out[d]) / in[d]));
  } else {
    if (scales.size() != in.size()) im.fail(n, "scales must have one entry per axis");
    for (size_t d = 0; d < in.size(); ++d) {
      if (!(scales[d] > 0)) im.fail(n, "scales must be positive");
      out[d] = static_cast<int64_t>(std::floor(in[d] * double(scales[d])));
    }
  }
  const bool old = upsample || im.opset() < 11;
  const std::string ctm =
      old ? "asymmetric" : im.attr_string(n, "coordinate_transformation_mode", "half_pixel");
  if (mode == "linear") {
    std::vector<std::vector<Lerp>> lerp(in.size());
    for (size_t d = 0; d < in.size(); ++d)
      for (int64_t x = 0; x < out[d]; ++x) {
        double c = source_coord(im, n, ctm, x, in[d], out[d], scales[d]);
        c = std::clamp(c, 0.0, double(in[d] - 1));
        const int64_t i0 = static_cast<int64_t>(std::floor(c));
        const int64_t i1 = std::min(i0 + 1, in[d] - 1);
        lerp[d].push_back({i0, i1, 1 - (c - i0), c - i0});
      }
    return emit_linear(im, n, in, out, lerp);
  }
  const std::string nm = old ? "floor" : im.attr_string(n, "nearest_mode", "round_prefer_floor");
  std::vector<std::vector<int64_t>> axis_src(in.size());
  for (size_t d = 0; d < in.size(); ++d)
    for (int64_t x = 0; x < out[d]; ++x)
      axis_src[d].push_back(
          round_nearest(im, n, nm, source_coord(im, n, ctm, x, in[d], out[d], scales[d]), in[d]));
  const Shape st = strides_of(in);
  Move m{{0}, out, {}, {}};
  for_each_index(out, [&](const Shape& x) {
    int64_t s = 0;
    for (size_t d = 0; d < x.size(); ++d) s += axis_src[d][x[d]] * st[d];
    m.src.push_back(s);
  });
  emit_move(im, n, m);
}

}  // namespace zk::onnx::conv

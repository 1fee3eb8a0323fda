// LRN (local response normalization, AlexNet, GoogLeNet), decomposed into ops
// the circuit proves: y = x * (bias + alpha/size * S)^-beta, S the sum of x^2
// over a window of `size` channels — x^2 by a table, S by a 1x1 Conv whose
// constant kernel is the channel band, the affine map, the power by a table,
// and the product of two activations.
#include "onnx/convert.h"

namespace zk::onnx::conv {

namespace {

int emit_pow(Importer& im, const Node& n, int x, float e, const std::string& out,
             const char* suffix) {
  FNode f = make(im, n, OpKind::kActivation, {x}, suffix);
  f.activation = "Pow";
  f.attrs = {e};
  return im.emit(std::move(f), out, im.full(x));
}

}  // namespace

void conv_lrn(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  const Shape xs = image_input(im, n, x);
  const int64_t size = im.attr_int(n, "size", 0);
  const float alpha = im.attr_float(n, "alpha", 1e-4f), beta = im.attr_float(n, "beta", 0.75f),
              bias = im.attr_float(n, "bias", 1.0f);
  const int64_t C = xs[1];
  if (size <= 0 || size > C + 1) im.fail_attr(n, "size", "must be from 1 to the channels + 1");
  if (!(bias > 0) || !(alpha >= 0)) {
    im.fail(n, "bias must be positive and alpha non-negative (supported: the usual 1e-4, 0.75, 1)");
  }
  const std::string& o = n.output(0);
  const int sq = emit_pow(im, n, x, 2.0f, o + "/zk_square", "/square");
  // S[c] = sum over c' in [c - (size-1)/2, c + ceil((size-1)/2)] of x[c']^2.
  FNode s = make(im, n, OpKind::kConv, {sq}, "/window_sum");
  s.weight = FTensor{{C, C, 1, 1}, std::vector<float>(C * C, 0.0f)};
  const int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
  for (int64_t c = 0; c < C; ++c)
    for (int64_t k = std::max<int64_t>(0, c - lo); k <= std::min(C - 1, c + hi); ++k)
      s.weight.data[c * C + k] = 1.0f;
  s.bias = FTensor{{C}, std::vector<float>(C, 0.0f)};
  s.kernel = {1, 1};
  s.strides = {1, 1};
  s.pads = {0, 0, 0, 0};
  const int sum = im.emit(std::move(s), o + "/zk_window_sum", xs);
  FNode a = make(im, n, OpKind::kChannelAffine, {sum}, "/scale");
  a.weight = FTensor{{1}, {alpha / static_cast<float>(size)}};
  a.bias = FTensor{{1}, {bias}};
  const int den = im.emit(std::move(a), o + "/zk_denominator", xs);
  const int p = emit_pow(im, n, den, -beta, o + "/zk_power", "/power");
  im.emit(make(im, n, OpKind::kMul, {x, p}), o, xs);
}

}  // namespace zk::onnx::conv

// LayerNormalization, InstanceNormalization and GroupNormalization, decomposed into ops the
// circuit proves (so their intermediate values are calibrated like any
// other): mean, centered value, its square (a product of two activations),
// variance, + epsilon, Sqrt and Reciprocal tables, the normalized product,
// then the scale and bias (per channel or per element).
#include <cmath>

#include "onnx/convert.h"

namespace zk::onnx::conv {

namespace {

int emit_activation(Importer& im, const Node& n, const char* act, int x, const std::string& out,
                    const std::string& suffix) {
  FNode f = make(im, n, OpKind::kActivation, {x}, suffix);
  f.activation = act;
  const Shape s = im.full(x);
  return im.emit(std::move(f), out, s);
}

// Normalizes x over the full-shape axes `red`: (x - mean) / sqrt(var + eps),
// the value named o + "/zk_normalized".
int emit_normalized(Importer& im, const Node& n, int x, const std::vector<bool>& red, float eps,
                    const std::string& o) {
  const Shape xs = im.full(x);
  const int mu = emit_reduce(im, n, OpKind::kReduceMean, x, red, true, o + "/zk_mean", "/mean");
  const int d = im.emit(make(im, n, OpKind::kSub, {x, mu}, "/center"), o + "/zk_centered", xs);
  const int sq = im.emit(make(im, n, OpKind::kMul, {d, d}, "/square"), o + "/zk_square", xs);
  const int var = emit_reduce(im, n, OpKind::kReduceMean, sq, red, true, o + "/zk_var", "/var");
  FNode fe = make(im, n, OpKind::kChannelAffine, {var}, "/epsilon");
  fe.weight = FTensor{{1}, {1.0f}};
  fe.bias = FTensor{{1}, {eps}};
  const Shape vs = im.full(var);
  const int ve = im.emit(std::move(fe), o + "/zk_var_eps", vs);
  const int sd = emit_activation(im, n, "Sqrt", ve, o + "/zk_std", "/sqrt");
  const int rs = emit_activation(im, n, "Reciprocal", sd, o + "/zk_inv_std", "/reciprocal");
  return im.emit(make(im, n, OpKind::kMul, {d, rs}, "/normalize"), o + "/zk_normalized", xs);
}

// y = v * w + b as the node's output (w, b: one value, one per channel or one
// per element of v).
void emit_scale_bias(Importer& im, const Node& n, int v, std::vector<float> w,
                     std::vector<float> b) {
  FNode fa = make(im, n, OpKind::kChannelAffine, {v}, "/affine");
  fa.weight = FTensor{{static_cast<int64_t>(w.size())}, std::move(w)};
  fa.bias = FTensor{{static_cast<int64_t>(b.size())}, std::move(b)};
  im.emit(std::move(fa), n.output(0), im.full(v));
}

// Normalizes x over the full-shape axes `red` and applies y = n * w + b
// (w, b: one value, one per channel or one per element).
void emit_normalize(Importer& im, const Node& n, int x, const std::vector<bool>& red, float eps,
                    std::vector<float> w, std::vector<float> b) {
  const int nrm = emit_normalized(im, n, x, red, eps, n.output(0));
  emit_scale_bias(im, n, nrm, std::move(w), std::move(b));
}

// Per-channel constants of x [N,C,...] as one value per channel when N = 1
// (the channel is the layout's first axis), else per element.
std::vector<float> channel_constants(const std::vector<float>& per_channel, const Shape& xs) {
  if (xs[0] == 1) return per_channel;
  Const e;
  e.f = per_channel;
  e.shape.assign(xs.size() - 1, 1);
  e.shape[0] = xs[1];
  return expand_constant(e, xs);
}

}  // namespace

bool per_element_constant(const Const& c, const Shape& xs) {
  if (c.numel() <= 1 || c.shape.size() > xs.size()) return false;
  const size_t off = xs.size() - c.shape.size();
  const size_t ca = xs.size() - logical_of(xs).size();  // the channel axis
  bool channel = true;
  for (size_t j = 0; j < c.shape.size(); ++j) {
    if (c.shape[j] != 1 && c.shape[j] != xs[off + j]) return false;  // does not broadcast
    if (c.shape[j] != 1 && off + j != ca) channel = false;
  }
  return !channel;
}

std::vector<float> expand_constant(const Const& c, const Shape& xs) {
  const size_t off = xs.size() - c.shape.size();
  std::vector<float> out(static_cast<size_t>(numel_of(xs)));
  Shape idx(xs.size(), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t src = 0;
    for (size_t j = 0; j < c.shape.size(); ++j)
      src = src * c.shape[j] + (c.shape[j] == 1 ? 0 : idx[off + j]);
    out[i] = c.f[src];
    for (size_t d = xs.size(); d-- > 0;) {
      if (++idx[d] < xs[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

void conv_layer_norm(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  const Shape xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size());
  const int64_t axis = norm_axis(im, n, im.attr_int(n, "axis", -1), r);
  std::vector<bool> red(r, false);
  for (int64_t i = axis; i < r; ++i) red[i] = true;
  auto values = [&](int i, const char* role, float def) {
    if (!im.has_input(n, i)) return std::vector<float>{def};
    const Const& c = im.cst(n, i, role);
    if (c.numel() == 1) return std::vector<float>{c.f[0]};
    if (!per_element_constant(c, xs) && c.shape != Shape(xs.begin() + axis, xs.end()))
      im.fail(n, std::string(role) + " of shape " + shape_str(c.shape) +
                     " does not match the normalized shape");
    return expand_constant(c, xs);
  };
  std::vector<float> w = values(1, "Scale", 1.0f), b = values(2, "B", 0.0f);
  if (w.size() != b.size()) {
    if (w.size() == 1) w.assign(b.size(), w[0]);
    if (b.size() == 1) b.assign(w.size(), b[0]);
  }
  emit_normalize(im, n, x, red, im.attr_float(n, "epsilon", 1e-5f), std::move(w), std::move(b));
}

void conv_instance_norm(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "input");
  const Shape xs = im.full(x);
  if (xs.size() < 3)
    im.fail(n, "expects an input [N,C,...] with a spatial axis, got " + shape_str(xs));
  const Const &s = im.cst(n, 1, "scale"), &b = im.cst(n, 2, "B");
  if (s.numel() != xs[1] || b.numel() != xs[1])
    im.fail(n, "scale and B must have one value per channel");
  std::vector<bool> red(xs.size(), true);
  red[0] = red[1] = false;
  const float eps = im.attr_float(n, "epsilon", 1e-5f);
  emit_normalize(im, n, x, red, eps, channel_constants(s.f, xs), channel_constants(b.f, xs));
}

// GroupNormalization (opset 18): x [N,C,...] viewed as [N,G,C/G * ...],
// normalized over the last axis, viewed back, then scaled and shifted per
// group (opset 18's [G] scale and bias; per channel when they have C values,
// the form opset 21 adopted).
void conv_group_norm(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  const Shape xs = im.full(x);
  const int64_t G = im.attr_int(n, "num_groups", 0);
  if (xs.size() < 3)
    im.fail(n, "expects an input [N,C,...] with a spatial axis, got " + shape_str(xs));
  if (G <= 0 || xs[1] % G != 0)
    im.fail_attr(
        n, "num_groups",
        "must divide the " + std::to_string(xs[1]) + " channels, got " + std::to_string(G));
  const Const &s = im.cst(n, 1, "scale"), &b = im.cst(n, 2, "bias");
  const int64_t C = xs[1], per = C / G;
  auto per_channel = [&](const Const& c, const char* role) {
    if (c.numel() == C) return c.f;
    if (c.numel() != G)
      im.fail(n, std::string(role) + " must have num_groups (" + std::to_string(G) + ") or C (" +
                     std::to_string(C) + ") values, got " + std::to_string(c.numel()));
    std::vector<float> v(C);
    for (int64_t i = 0; i < C; ++i) v[i] = c.f[i / per];
    return v;
  };
  const std::string o = n.output(0);
  const Shape gs = {xs[0], G, numel_of(xs) / (xs[0] * G)};
  const int xg = im.emit(make(im, n, OpKind::kReshape, {x}, "/groups"), o + "/zk_groups", gs);
  const int ng =
      emit_normalized(im, n, xg, {false, false, true}, im.attr_float(n, "epsilon", 1e-5f), o);
  const int nx = im.emit(make(im, n, OpKind::kReshape, {ng}, "/ungroup"), o + "/zk_ungrouped", xs);
  emit_scale_bias(im, n, nx, channel_constants(per_channel(s, "scale"), xs),
                  channel_constants(per_channel(b, "bias"), xs));
}

}  // namespace zk::onnx::conv

// Elementwise ops between activation tensors, with NumPy broadcasting: Add,
// Sub, Mul and Div of two activations, the n-ary Max, Min, Sum and Mean, and
// PRelu with a constant slope. Div by a tensor is a * (1/b), the reciprocal a
// lookup-table activation; PRelu(x) = slope * x + (1 - slope) * relu(x).
#include <string>

#include "model/activations.h"
#include "model/broadcast.h"
#include "onnx/convert.h"

namespace zk::onnx::conv {

namespace {

Shape broadcast_full(const Importer& im, const Node& n, const Shape& a, const Shape& b) {
  auto s = model::broadcast_shape(a, b);
  if (!s) {
    im.fail(n, "operands of shapes " + shape_str(a) + " and " + shape_str(b) +
                   " do not broadcast (NumPy rules: trailing dimensions equal or 1)");
  }
  return *s;
}

// Emits kind(x, y) as ONNX value `out`; returns its value id.
int emit_pair(Importer& im, const Node& n, OpKind kind, int x, int y, const std::string& out,
              const std::string& suffix = "") {
  Shape s = broadcast_full(im, n, im.full(x), im.full(y));
  return im.emit(make(im, n, kind, {x, y}, suffix), out, s);
}

int emit_affine_of(Importer& im, const Node& n, int x, std::vector<float> w, const std::string& out,
                   const std::string& suffix) {
  FNode f = make(im, n, OpKind::kChannelAffine, {x}, suffix);
  f.weight = FTensor{{static_cast<int64_t>(w.size())}, std::move(w)};
  f.bias = FTensor{{1}, {0.0f}};
  Shape s = im.full(x);
  return im.emit(std::move(f), out, s);
}

int emit_reciprocal(Importer& im, const Node& n, int x, const std::string& out) {
  const model::Activation* a = model::find_activation("Reciprocal");
  FNode f = make(im, n, OpKind::kActivation, {x}, "/reciprocal");
  f.activation = a->onnx_op;
  Shape s = im.full(x);
  return im.emit(std::move(f), out, s);
}

}  // namespace

void conv_eltwise_pair(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  const int x = im.act(n, 0, "A"), y = im.act(n, 1, "B");
  if (op == "Add") {
    emit_pair(im, n, OpKind::kAdd, x, y, n.output(0));
  } else if (op == "Sub") {
    emit_pair(im, n, OpKind::kSub, x, y, n.output(0));
  } else if (op == "Mul") {
    emit_pair(im, n, OpKind::kMul, x, y, n.output(0));
  } else if (op == "Div") {
    broadcast_full(im, n, im.full(x), im.full(y));
    const int r = emit_reciprocal(im, n, y, n.output(0) + "/zk_reciprocal");
    emit_pair(im, n, OpKind::kMul, x, r, n.output(0));
  } else {
    im.fail(n, op + " of two non-constant tensors is not supported");
  }
}

void conv_div_into_constant(Importer& im, const Node& n, std::vector<float> c) {
  const int x = im.act(n, 1, "divisor");
  const int r = emit_reciprocal(im, n, x, n.output(0) + "/zk_reciprocal");
  emit_affine_of(im, n, r, std::move(c), n.output(0), "");
}

// Max, Min, Sum, Mean of any number of activations (broadcast), folded
// pairwise from the left.
void conv_variadic(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  if (n.input_size() < 1) im.fail(n, "needs at least one input");
  std::vector<int> xs;
  for (int i = 0; i < n.input_size(); ++i) {
    if (im.sym(n, i).is_const())
      im.fail(n, "input " + std::to_string(i) +
                     " is a constant (only non-constant tensors are supported)");
    xs.push_back(im.act(n, i, "input"));
  }
  const OpKind kind = op == "Max" ? OpKind::kMax : op == "Min" ? OpKind::kMin : OpKind::kAdd;
  const bool mean = op == "Mean";
  if (xs.size() == 1 && !mean) return conv_identity(im, n);
  int acc = xs[0];
  for (size_t i = 1; i < xs.size(); ++i) {
    const bool last = i + 1 == xs.size() && !mean;
    const std::string out = last ? n.output(0) : n.output(0) + "/zk_partial" + std::to_string(i);
    acc = emit_pair(im, n, kind, acc, xs[i], out, "/" + std::to_string(i));
  }
  if (mean)
    emit_affine_of(im, n, acc, {1.0f / static_cast<float>(xs.size())}, n.output(0), "/mean");
}

// PRelu(x) = slope * x + (1 - slope) * relu(x), slope a scalar or per-channel constant.
void conv_prelu(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  std::vector<float> s = channel_values(im, n, im.cst(n, 1, "slope"), im.full(x));
  std::vector<float> t(s.size());
  for (size_t i = 0; i < s.size(); ++i) t[i] = 1.0f - s[i];
  const std::string& o = n.output(0);
  const int r = im.emit(make(im, n, OpKind::kRelu, {x}, "/relu"), o + "/zk_relu", im.full(x));
  const int a = emit_affine_of(im, n, x, std::move(s), o + "/zk_linear", "/linear");
  const int b = emit_affine_of(im, n, r, std::move(t), o + "/zk_positive", "/positive");
  emit_pair(im, n, OpKind::kAdd, a, b, o, "/sum");
}

}  // namespace zk::onnx::conv

// Elementwise ops between activation tensors, with NumPy broadcasting: Add,
// Sub, Mul and Div of two activations, the n-ary Max, Min, Sum and Mean, and
// PRelu with a constant slope, comparisons, logic on 0/1 tensors and Where.
// Div by a tensor is a * (1/b), the reciprocal a lookup-table activation;
// PRelu(x) = slope * x + (1 - slope) * relu(x).
#include <string>

#include "model/activations.h"
#include "model/broadcast.h"
#include "onnx/convert.h"
#include "onnx/move.h"

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
                   const std::string& suffix, std::vector<float> b = {0.0f}) {
  FNode f = make(im, n, OpKind::kChannelAffine, {x}, suffix);
  f.weight = FTensor{{static_cast<int64_t>(w.size())}, std::move(w)};
  f.bias = FTensor{{static_cast<int64_t>(b.size())}, std::move(b)};
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

std::vector<float> elementwise_constant(const Importer& im, const Node& n, const Const& c,
                                        const Shape& xs) {
  auto b = model::broadcast_shape(c.shape, xs);
  if (!b || *b != xs) {
    im.fail(n, "constant of shape " + shape_str(c.shape) + " does not broadcast to the input " +
                   shape_str(xs) + " (zkinfer supports constants that broadcast to it)");
  }
  std::vector<float> out;
  for (int64_t i : model::broadcast_index(c.shape, xs)) out.push_back(c.f[i]);
  return out;
}

void conv_div_into_constant(Importer& im, const Node& n, std::vector<float> c) {
  const int x = im.act(n, 1, "divisor");
  const int r = emit_reciprocal(im, n, x, n.output(0) + "/zk_reciprocal");
  emit_affine_of(im, n, r, std::move(c), n.output(0), "");
}

namespace {

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
  Const slope = im.cst(n, 1, "slope");
  const Shape& xs = im.full(x);
  // PRelu before opset 7 (the ONNX backend tests) took a [C] slope per
  // channel; the version converter keeps it [C], which no longer broadcasts
  // from the right. Where it cannot broadcast, it is read per channel.
  if (slope.shape.size() == 1 && xs.size() >= 3 && slope.shape[0] == xs[1] &&
      slope.shape[0] != xs.back() && slope.shape[0] != 1) {
    slope.shape = Shape(xs.size() - 1, 1);
    slope.shape[0] = xs[1];
  }
  std::vector<float> s = channel_values(im, n, slope, xs);
  std::vector<float> t(s.size());
  for (size_t i = 0; i < s.size(); ++i) t[i] = 1.0f - s[i];
  const std::string& o = n.output(0);
  const int r = im.emit(make(im, n, OpKind::kRelu, {x}, "/relu"), o + "/zk_relu", im.full(x));
  const int a = emit_affine_of(im, n, x, std::move(s), o + "/zk_linear", "/linear");
  const int b = emit_affine_of(im, n, r, std::move(t), o + "/zk_positive", "/positive");
  emit_pair(im, n, OpKind::kAdd, a, b, o, "/sum");
}

// Less, Greater, LessOrEqual, GreaterOrEqual, Equal of two activations: 1.0
// where true, 0.0 elsewhere (a step table on the quantized difference).
void conv_compare(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  if (im.sym(n, 0).is_const() && im.sym(n, 1).is_const()) return fold_binary(im, n);
  // A constant operand (a tree's threshold, a mask's bound) becomes a tensor
  // of the other operand's shape: 0 * t + c, the constant broadcast.
  int xy[2] = {-1, -1};
  for (int i = 0; i < 2; ++i)
    if (!im.sym(n, i).is_const()) xy[i] = im.act(n, i, i == 0 ? "A" : "B");
  for (int i = 0; i < 2; ++i) {
    if (xy[i] >= 0) continue;
    const int t = xy[1 - i];
    std::vector<float> c = channel_values(im, n, *im.sym(n, i).c, im.full(t));
    std::vector<float> zero(c.size(), 0.0f);
    xy[i] =
        emit_affine_of(im, n, t, std::move(zero), n.output(0) + "/zk_constant_" + std::to_string(i),
                       "/constant", std::move(c));
  }
  int x = xy[0], y = xy[1];
  const bool swap = op == "Greater" || op == "GreaterOrEqual";
  if (swap) std::swap(x, y);
  const OpKind k = op == "Equal"                       ? OpKind::kEqual
                   : (op == "Less" || op == "Greater") ? OpKind::kLess
                                                       : OpKind::kLessEq;
  emit_pair(im, n, k, x, y, n.output(0));
}

// Not x = 1 - x on 0/1 tensors.
void conv_not(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "X");
  emit_affine_of(im, n, x, {-1.0f}, n.output(0), "", {1.0f});
}

// And = a * b, Or = a + b - a * b, Xor = a + b - 2 a * b on 0/1 tensors.
void conv_logic(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  const int x = im.act(n, 0, "A"), y = im.act(n, 1, "B");
  const std::string& o = n.output(0);
  if (op == "And") {
    emit_pair(im, n, OpKind::kMul, x, y, o);
    return;
  }
  const int p = emit_pair(im, n, OpKind::kMul, x, y, o + "/zk_and", "/and");
  const int s = emit_pair(im, n, OpKind::kAdd, x, y, o + "/zk_sum", "/sum");
  const int q = op == "Xor" ? emit_affine_of(im, n, p, {2.0f}, o + "/zk_twice", "/twice") : p;
  emit_pair(im, n, OpKind::kSub, s, q, o, "/or");
}

// Where(c, a, b) = b + c * (a - b) for a 0/1 condition c; a and b both
// tensors, or both constants (then c * (a - b) + b is an affine map of c).
void conv_where(Importer& im, const Node& n) {
  if (im.sym(n, 0).is_const()) return conv_where_const(im, n);  // a selection (ops_move2.cc)
  const int c = im.act(n, 0, "condition");
  const Sym &sa = im.sym(n, 1), &sb = im.sym(n, 2);
  const std::string& o = n.output(0);
  if (sa.is_const() && sb.is_const()) {
    std::vector<float> a = channel_values(im, n, *sa.c, im.full(c));
    std::vector<float> b = channel_values(im, n, *sb.c, im.full(c));
    if (a.size() != b.size()) {
      if (a.size() == 1) a.assign(b.size(), a[0]);
      if (b.size() == 1) b.assign(a.size(), b[0]);
      if (a.size() != b.size()) {
        a = elementwise_constant(im, n, *sa.c, im.full(c));
        b = elementwise_constant(im, n, *sb.c, im.full(c));
      }
    }
    std::vector<float> w(a.size());
    for (size_t i = 0; i < a.size(); ++i) w[i] = a[i] - b[i];
    emit_affine_of(im, n, c, std::move(w), o, "", std::move(b));
    return;
  }
  if (sa.is_const() || sb.is_const())
    im.fail(n,
            "one constant and one tensor branch is not supported (both tensors, or both "
            "scalar or per-channel constants)");
  const int a = im.act(n, 1, "X"), b = im.act(n, 2, "Y");
  const int d = emit_pair(im, n, OpKind::kSub, a, b, o + "/zk_diff", "/diff");
  const int m = emit_pair(im, n, OpKind::kMul, c, d, o + "/zk_select", "/select");
  emit_pair(im, n, OpKind::kAdd, b, m, o, "/sum");
}

}  // namespace

const std::vector<EltwiseConverter>& eltwise_converters() {
  static const char* const kCmp =
      "two tensors (broadcast), or a tensor and a constant that broadcasts to it; 1 or 0 from "
      "the quantized values";
  static const char* const kVar = "any number of non-constant tensors (broadcast)";
  static const std::vector<EltwiseConverter> list = {
      {"Max", conv_variadic, kVar},
      {"Min", conv_variadic, kVar},
      {"Sum", conv_variadic, kVar},
      {"Mean", conv_variadic, kVar},
      {"PRelu", conv_prelu, "a per-channel or scalar constant slope"},
      {"Less", conv_compare, kCmp},
      {"Greater", conv_compare, kCmp},
      {"LessOrEqual", conv_compare, kCmp},
      {"GreaterOrEqual", conv_compare, kCmp},
      {"Equal", conv_compare, kCmp},
      {"Not", conv_not, "a 0/1 tensor"},
      {"And", conv_logic, "two 0/1 tensors (broadcast)"},
      {"Or", conv_logic, "two 0/1 tensors (broadcast)"},
      {"Xor", conv_logic, "two 0/1 tensors (broadcast)"},
      {"Where", conv_where,
       "a 0/1 condition; two tensors or two constants (broadcast); a constant condition with "
       "any branches"},
  };
  return list;
}

}  // namespace zk::onnx::conv

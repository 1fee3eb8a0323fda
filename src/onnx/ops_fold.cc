// Compile-time folding of shape computations (as PyTorch exports them for
// dynamic reshapes): Shape, Size, Range, CastLike, and elementwise
// arithmetic and comparisons on constant tensors with broadcasting.
#include <cmath>
#include <set>

#include "model/activations.h"
#include "onnx/move.h"

namespace zk::onnx::conv {
namespace {

Const int_const(Shape shape, std::vector<int64_t> v) {
  Const c;
  c.shape = std::move(shape);
  c.is_int = true;
  c.i = std::move(v);
  c.f.assign(c.i.begin(), c.i.end());
  return c;
}

}  // namespace

void conv_shape(Importer& im, const Node& n) {
  const Shape s = in_full(im, n, 0);
  const int64_t r = static_cast<int64_t>(s.size());
  int64_t b = im.attr_int(n, "start", 0), e = im.attr_int(n, "end", r);
  if (b < 0) b += r;
  if (e < 0) e += r;
  b = std::clamp<int64_t>(b, 0, r);
  e = std::clamp<int64_t>(e, b, r);
  im.bind_const(n.output(0), int_const({e - b}, Shape(s.begin() + b, s.begin() + e)));
}

void conv_size(Importer& im, const Node& n) {
  im.bind_const(n.output(0), int_const({}, {numel_of(in_full(im, n, 0))}));
}

void conv_range(Importer& im, const Node& n) {
  const Const& s = im.cst(n, 0, "start");
  const Const& l = im.cst(n, 1, "limit");
  const Const& d = im.cst(n, 2, "delta");
  if (s.numel() != 1 || l.numel() != 1 || d.numel() != 1) im.fail(n, "expects scalar inputs");
  const bool is_int = s.is_int && l.is_int && d.is_int;
  const double start = is_int ? double(s.i[0]) : s.f[0], delta = is_int ? double(d.i[0]) : d.f[0];
  const double limit = is_int ? double(l.i[0]) : l.f[0];
  if (delta == 0) im.fail(n, "delta is 0");
  const double cnt = std::max(0.0, std::ceil((limit - start) / delta));
  if (cnt > double(kMaxTensorElements)) im.fail(n, "range is too long");
  Const c;
  c.shape = {static_cast<int64_t>(cnt)};
  c.is_int = is_int;
  for (int64_t k = 0; k < c.shape[0]; ++k) {
    if (is_int) {
      c.i.push_back(s.i[0] + k * d.i[0]);
      c.f.push_back(static_cast<float>(c.i.back()));
    } else {
      c.f.push_back(static_cast<float>(start + k * delta));
    }
  }
  im.bind_const(n.output(0), std::move(c));
}

// NonZero of a constant (torch.arange exported at opset 10 is
// NonZero(ConstantOfShape(n))): the [rank, count] indices of its nonzero
// elements, in row-major order.
void conv_nonzero(Importer& im, const Node& n) {
  if (!im.sym(n, 0).is_const())
    im.fail(n,
            "NonZero of a computed tensor has an output shape that depends on the data, which a "
            "circuit of fixed shape cannot prove: rewrite it as a mask (a comparison, then Where "
            "or a product) of fixed shape; NonZero of a constant is folded");
  const Const& x = im.cst(n, 0, "X");
  Shape shape = x.shape.empty() ? Shape{1} : x.shape;
  std::vector<int64_t> hits;
  for (int64_t k = 0; k < x.numel(); ++k)
    if (x.is_int ? x.i[k] != 0 : x.f[k] != 0.0f) hits.push_back(k);
  const int64_t rank = static_cast<int64_t>(shape.size()), cnt = static_cast<int64_t>(hits.size());
  Const c;
  c.shape = {rank, cnt};
  c.is_int = true;
  c.i.assign(rank * cnt, 0);
  for (int64_t j = 0; j < cnt; ++j) {
    int64_t rest = hits[j];
    for (int64_t d = rank; d-- > 0;) {
      c.i[d * cnt + j] = rest % shape[d];
      rest /= shape[d];
    }
  }
  for (int64_t v : c.i) c.f.push_back(static_cast<float>(v));
  im.bind_const(n.output(0), std::move(c));
}

// CastLike: to the type of input 1 (int or float), on constants; an
// activation cast like a float tensor is unchanged.
void conv_cast_like(Importer& im, const Node& n) {
  const Sym& t = im.sym(n, 1);
  const bool to_int = t.is_const() && t.c->is_int;
  const Sym& s = im.sym(n, 0);
  if (!s.is_const()) {
    if (!to_int) return conv_identity(im, n);
    const int x = im.act(n, 0, "input");
    FNode f = make(im, n, OpKind::kActivation, {x});
    f.activation = model::kTruncActivation;  // truncation toward 0, a table
    im.emit(std::move(f), n.output(0), im.full(x));
    return;
  }
  Const c = *s.c;
  c.is_int = to_int;
  c.i.clear();
  if (to_int) {
    for (auto& v : c.f) {
      v = std::trunc(v);
      c.i.push_back(static_cast<int64_t>(v));
    }
  }
  im.bind_const(n.output(0), std::move(c));
}

namespace {

bool is_compare(const std::string& op) {
  return op == "Equal" || op == "Less" || op == "Greater" || op == "LessOrEqual" ||
         op == "GreaterOrEqual" || op == "And" || op == "Or" || op == "Xor";
}

int64_t int_op(const Importer& im, const Node& n, const std::string& op, int64_t a, int64_t b) {
  if (op == "Add") return a + b;
  if (op == "Sub") return a - b;
  if (op == "Mul") return a * b;
  if (op == "Div" || op == "Mod") {
    if (b == 0) im.fail(n, "integer division by zero");
    if (op == "Div") return a / b;
    const int64_t r = a % b;  // fmod = 0: the sign of the divisor
    return (r != 0 && ((r < 0) != (b < 0)) && im.attr_int(n, "fmod", 0) == 0) ? r + b : r;
  }
  if (op == "Max") return std::max(a, b);
  if (op == "Min") return std::min(a, b);
  if (op == "Equal") return a == b;
  if (op == "Less") return a < b;
  if (op == "Greater") return a > b;
  if (op == "LessOrEqual") return a <= b;
  if (op == "GreaterOrEqual") return a >= b;
  if (op == "And") return a && b;
  if (op == "Or") return a || b;
  if (op == "Xor") return (a != 0) != (b != 0);
  im.fail(n, "cannot fold " + op + " of integer constants");
}

double float_op(const Importer& im, const Node& n, const std::string& op, double a, double b) {
  if (op == "Add") return a + b;
  if (op == "Sub") return a - b;
  if (op == "Mul") return a * b;
  if (op == "Div") return a / b;
  if (op == "Pow") return std::pow(a, b);
  if (op == "Max") return std::max(a, b);
  if (op == "Min") return std::min(a, b);
  if (op == "Mod") return std::fmod(a, b);
  if (op == "Equal") return a == b;
  if (op == "Less") return a < b;
  if (op == "Greater") return a > b;
  if (op == "LessOrEqual") return a <= b;
  if (op == "GreaterOrEqual") return a >= b;
  im.fail(n, "cannot fold " + op + " of float constants");
}

}  // namespace

void fold_binary(Importer& im, const Node& n) {
  const Const& a = im.cst(n, 0, "A");
  const Const& b = im.cst(n, 1, "B");
  const std::string& op = n.op_type();
  const Shape out = broadcast_shapes(im, n, a.shape, b.shape);
  check_size(out, "node '" + im.node_name(n) + "' (" + op + ") output");
  const auto am = broadcast_map(a.shape, out), bm = broadcast_map(b.shape, out);
  const bool ints = a.is_int && b.is_int;
  Const c;
  c.shape = out;
  c.is_int = ints || is_compare(op);
  for (size_t k = 0; k < am.size(); ++k) {
    if (ints) {
      c.i.push_back(int_op(im, n, op, a.i[am[k]], b.i[bm[k]]));
      c.f.push_back(static_cast<float>(c.i.back()));
    } else {
      const double v = float_op(im, n, op, a.f[am[k]], b.f[bm[k]]);
      c.f.push_back(static_cast<float>(v));
      if (c.is_int) c.i.push_back(static_cast<int64_t>(v));
    }
  }
  im.bind_const(n.output(0), std::move(c));
}

bool fold_constant_node(Importer& im, const Node& n) {
  static const std::set<std::string> binary = {"Add",
                                               "Sub",
                                               "Mul",
                                               "Div",
                                               "Pow",
                                               "Mod",
                                               "Max",
                                               "Min",
                                               "Equal",
                                               "Less",
                                               "Greater",
                                               "LessOrEqual",
                                               "GreaterOrEqual",
                                               "And",
                                               "Or",
                                               "Xor"};
  static const std::set<std::string> unary = {"Neg",  "Not",  "Abs",       "Floor",
                                              "Ceil", "Sqrt", "Reciprocal"};
  if (!n.domain().empty() && n.domain() != "ai.onnx") return false;
  const bool bin = binary.count(n.op_type()) > 0 && n.input_size() == 2;
  if (!bin && !(unary.count(n.op_type()) > 0 && n.input_size() == 1)) return false;
  if (n.output_size() != 1) return false;
  for (int i = 0; i < n.input_size(); ++i)
    if (!im.has_input(n, i) || !im.sym(n, i).is_const()) return false;
  if (bin)
    fold_binary(im, n);
  else
    conv_const_unary(im, n);
  return true;
}

// Binary ops supported only on constants (folded).
void conv_const_binary(Importer& im, const Node& n) {
  // An activation raised to a constant power is a table activation.
  if (!im.sym(n, 0).is_const() && im.sym(n, 1).is_const() && model::find_activation(n.op_type()))
    return conv_activation(im, n);
  // A constant scalar base raised to a computed power: base^x, a table.
  if (n.op_type() == "Pow" && im.sym(n, 0).is_const() && !im.sym(n, 1).is_const() &&
      im.sym(n, 0).c->numel() == 1) {
    const float base = im.sym(n, 0).c->f[0];
    if (!(base > 0)) im.fail(n, "a constant base must be positive (base^x of a computed x)");
    const int x = im.act(n, 1, "exponent");
    FNode f = make(im, n, OpKind::kActivation, {x});
    f.activation = model::kExpBaseActivation;
    f.attrs = {base};
    im.emit(std::move(f), n.output(0), im.full(x));
    return;
  }
  if (!im.sym(n, 0).is_const() || !im.sym(n, 1).is_const())
    im.fail(n, n.op_type() + " of a tensor computed from the model input is not supported (" +
                   n.op_type() + " of constants is folded at compile time)");
  fold_binary(im, n);
}

// Unary ops on constants: Neg, Not, Abs, Floor, Ceil, Sqrt, Reciprocal.
void conv_const_unary(Importer& im, const Node& n) {
  const std::string& op = n.op_type();
  const Sym& s = im.sym(n, 0);
  if (!s.is_const() && model::find_activation(op)) return conv_activation(im, n);
  if (!s.is_const())
    im.fail(n, op + " of a tensor computed from the model input is not supported (" + op +
                   " of constants is folded at compile time)");
  Const c = *s.c;
  for (size_t k = 0; k < c.f.size(); ++k) {
    if (c.is_int) {
      int64_t& v = c.i[k];
      if (op == "Neg")
        v = -v;
      else if (op == "Not")
        v = v == 0;
      else if (op == "Abs")
        v = v < 0 ? -v : v;
      else if (op != "Floor" && op != "Ceil")
        im.fail(n, "cannot fold " + op + " of integers");
      c.f[k] = static_cast<float>(v);
    } else {
      float& v = c.f[k];
      if (op == "Neg")
        v = -v;
      else if (op == "Abs")
        v = std::fabs(v);
      else if (op == "Floor")
        v = std::floor(v);
      else if (op == "Ceil")
        v = std::ceil(v);
      else if (op == "Sqrt")
        v = std::sqrt(v);
      else if (op == "Reciprocal")
        v = 1.0f / v;
      else
        im.fail(n, "cannot fold " + op + " of floats");
    }
  }
  im.bind_const(n.output(0), std::move(c));
}

}  // namespace zk::onnx::conv

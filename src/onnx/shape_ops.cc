// Reshape-like ops (constant inputs are folded, activations get kReshape),
// Transpose, aliases (Identity, Dropout, Cast) and constants.
#include <cmath>
#include <numeric>

#include "field/printable.h"
#include "model/activations.h"
#include "onnx/convert.h"
#include "onnx/move.h"

namespace zk::onnx::conv {
namespace {

void emit_reshape(Importer& im, const Node& n, const Shape& out_full) {
  const Sym& s = im.sym(n, 0);
  const Shape in = in_full(im, n, 0);
  if (numel_of(in) != numel_of(out_full)) {
    im.fail(n, "cannot reshape " + shape_str(in) + " to " + shape_str(out_full));
  }
  if (s.is_const()) {
    Const c = *s.c;
    c.shape = out_full;
    im.bind_const(n.output(0), std::move(c));
    return;
  }
  const int x = im.act(n, 0, "data");
  im.emit(make(im, n, OpKind::kReshape, {x}), n.output(0), out_full);
}

}  // namespace

void conv_reshape(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  Shape t = const_ints(im, n, 1, "shape");
  const bool allowzero = im.attr_int(n, "allowzero", 0) != 0;
  int neg = -1;
  int64_t known = 1;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == 0 && !allowzero) {
      if (i >= in.size())
        im.fail(n, "shape entry 0 at position " + std::to_string(i) +
                       " has no matching input dimension");
      t[i] = in[i];
    } else if (t[i] == -1) {
      if (neg >= 0) im.fail(n, "shape has more than one -1");
      neg = static_cast<int>(i);
      continue;
    } else if (t[i] < 0) {
      im.fail(n, "invalid shape entry " + std::to_string(t[i]));
    }
    known *= t[i];
  }
  if (neg >= 0) {
    if (known == 0 || numel_of(in) % known != 0) {
      im.fail(n, "cannot reshape " + shape_str(in) + " with a -1 entry");
    }
    t[neg] = numel_of(in) / known;
  }
  emit_reshape(im, n, t);
}

void conv_flatten(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const int64_t r = static_cast<int64_t>(in.size());
  int64_t axis = im.attr_int(n, "axis", 1);
  if (axis < 0) axis += r;
  if (axis < 0 || axis > r) im.fail_attr(n, "axis", "out of range");
  const int64_t outer = numel_of(Shape(in.begin(), in.begin() + axis));
  emit_reshape(im, n, {outer, numel_of(in) / outer});
}

void conv_squeeze(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  bool given;
  Shape axes = axes_of(im, n, 13, &given);
  std::vector<bool> drop(in.size(), false);
  for (size_t i = 0; i < in.size(); ++i) drop[i] = !given && in[i] == 1;
  for (auto a : axes) {
    const int64_t k = norm_axis(im, n, a, in.size());
    if (in[k] != 1) im.fail(n, "cannot squeeze axis " + std::to_string(a) + " of " + shape_str(in));
    drop[k] = true;
  }
  Shape out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!drop[i]) out.push_back(in[i]);
  }
  emit_reshape(im, n, out);
}

void conv_unsqueeze(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  bool given;
  Shape axes = axes_of(im, n, 13, &given);
  if (!given) im.fail(n, "missing axes");
  const int64_t r = static_cast<int64_t>(in.size() + axes.size());
  std::vector<bool> ins(r, false);
  for (auto a : axes) ins[norm_axis(im, n, a, r)] = true;
  Shape out;
  size_t j = 0;
  for (int64_t i = 0; i < r; ++i) out.push_back(ins[i] ? 1 : in.at(j++));
  emit_reshape(im, n, out);
}

void conv_transpose(Importer& im, const Node& n) {
  const Shape in = in_full(im, n, 0);
  const size_t r = in.size();
  Shape rev(r);
  std::iota(rev.rbegin(), rev.rend(), 0);
  const Shape perm = im.attr_ints(n, "perm", rev);
  std::vector<bool> seen(r, false);
  if (perm.size() != r) im.fail_attr(n, "perm", "length does not match the input rank");
  for (auto p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(r) || seen[p]) im.fail_attr(n, "perm", "is invalid");
    seen[p] = true;
  }
  Shape out(r);
  for (size_t i = 0; i < r; ++i) out[i] = in[perm[i]];
  const Sym& s = im.sym(n, 0);
  if (s.is_const()) {  // fold, e.g. a transposed weight feeding MatMul
    const Const& c = *s.c;
    Const t = c;
    t.shape = out;
    Shape in_stride(r, 1);
    for (size_t i = r; i-- > 1;) in_stride[i - 1] = in_stride[i] * in[i];
    Shape idx(r, 0);
    for (int64_t k = 0; k < c.numel(); ++k) {
      int64_t src = 0;
      for (size_t i = 0; i < r; ++i) src += idx[i] * in_stride[perm[i]];
      t.f[k] = c.f[src];
      if (c.is_int) t.i[k] = c.i[src];
      for (size_t i = r; i-- > 0;) {
        if (++idx[i] < out[i]) break;
        idx[i] = 0;
      }
    }
    im.bind_const(n.output(0), std::move(t));
    return;
  }
  const int x = im.act(n, 0, "data");
  // Moving the leading axis: an index map (ops_move.cc).
  if (!batched(in) || perm[0] != 0) return conv_transpose_move(im, n, perm);
  FNode f = make(im, n, OpKind::kTranspose, {x});
  for (size_t i = 1; i < r; ++i) f.perm.push_back(perm[i] - 1);
  im.emit(std::move(f), n.output(0), out);
}

// --- aliases and constants
void conv_identity(Importer& im, const Node& n) { im.bind(n.output(0), im.sym(n, 0)); }

void conv_dropout(Importer& im, const Node& n) {
  if (im.has_input(n, 2)) {
    const Sym& t = im.sym(n, 2);
    if (!t.is_const() || t.c->f.at(0) != 0) im.fail(n, "training_mode must be a constant false");
  }
  conv_identity(im, n);
}

void conv_cast(Importer& im, const Node& n) {
  using DT = ::onnx::TensorProto;
  const auto* a = im.attr(n, "to");
  if (!a) im.fail(n, "missing attribute 'to'");
  const int64_t to = a->i();
  const bool to_float = to == DT::FLOAT || to == DT::DOUBLE || to == DT::FLOAT16;
  const Sym& s = im.sym(n, 0);
  if (s.is_const()) {
    Const c = *s.c;
    c.is_int = !to_float;
    c.i.clear();
    for (auto& v : c.f) {
      if (!to_float) v = to == DT::BOOL ? (v != 0) : std::trunc(v);
      if (!to_float) c.i.push_back(static_cast<int64_t>(v));
    }
    im.bind_const(n.output(0), std::move(c));
    return;
  }
  if (to_float) return conv_identity(im, n);
  if (to == DT::STRING || to == DT::COMPLEX64 || to == DT::COMPLEX128) {
    im.fail_attr(n, "to",
                 "= " + std::to_string(to) +
                     ": a computed tensor is cast to float, integer or bool types only");
  }
  // To an integer type: truncation toward zero; to bool: x != 0 — lookup
  // tables on the quantized values (model/activations.cc).
  const int x = im.act(n, 0, "input");
  FNode f = make(im, n, OpKind::kActivation, {x});
  f.activation = to == DT::BOOL ? model::kNonZeroActivation : model::kTruncActivation;
  im.emit(std::move(f), n.output(0), im.full(x));
}

void conv_constant(Importer& im, const Node& n) {
  const auto& attrs = n.attribute();
  if (attrs.size() != 1) im.fail(n, "expects exactly one value attribute");
  const auto& a = attrs[0];
  const std::string where = "node '" + printable(im.node_name(n)) + "' (Constant)";
  Const c;
  if (a.name() == "value") {
    c = const_from_tensor(a.t(), where);
  } else if (a.name() == "value_float") {
    c.f = {a.f()};
  } else if (a.name() == "value_floats") {
    c.f.assign(a.floats().begin(), a.floats().end());
    c.shape = {static_cast<int64_t>(c.f.size())};
  } else if (a.name() == "value_int" || a.name() == "value_ints") {
    c.is_int = true;
    if (a.name() == "value_int")
      c.i = {a.i()};
    else
      c.i.assign(a.ints().begin(), a.ints().end());
    if (a.name() == "value_ints") c.shape = {static_cast<int64_t>(c.i.size())};
    c.f.assign(c.i.begin(), c.i.end());
  } else {
    im.fail_attr(n, a.name(), "is not supported");
  }
  im.bind_const(n.output(0), std::move(c));
}

void conv_constant_of_shape(Importer& im, const Node& n) {
  Const c;
  c.shape = const_ints(im, n, 0, "shape");
  Const v;
  v.f = {0.0f};
  if (const auto* a = im.attr(n, "value")) {
    v = const_from_tensor(a->t(), "node '" + printable(im.node_name(n)) + "' (ConstantOfShape)");
    if (v.numel() != 1) im.fail_attr(n, "value", "must hold one element");
  }
  c.is_int = v.is_int;
  c.f.assign(numel_of(c.shape), v.f[0]);
  if (v.is_int) c.i.assign(numel_of(c.shape), v.i[0]);
  im.bind_const(n.output(0), std::move(c));
}

}  // namespace zk::onnx::conv

// Conversion of the numeric ONNX ops into FloatGraph nodes (see importer.h for
// the shape conventions) and the op dispatch table. Each converter emits
// FNodes, folds into the node producing its input, or aliases its input.
#include <algorithm>
#include <cmath>
#include <limits>

#include "field/printable.h"
#include "model/activations.h"
#include "onnx/convert.h"
#include "onnx/import.h"
#include "onnx/move.h"

namespace zk::onnx {
namespace conv {
namespace {

// --- elementwise activations
void conv_relu(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "input");
  im.emit(make(im, n, OpKind::kRelu, {x}), n.output(0), im.full(x));
}

void conv_clip(Importer& im, const Node& n) {
  const int x = im.act(n, 0, "input");
  FNode f = make(im, n, OpKind::kClip, {x});
  f.clip_lo = std::numeric_limits<float>::lowest();
  f.clip_hi = std::numeric_limits<float>::max();
  if (im.opset() < 11) {
    f.clip_lo = im.attr_float(n, "min", f.clip_lo);
    f.clip_hi = im.attr_float(n, "max", f.clip_hi);
  } else {
    if (im.has_input(n, 1)) f.clip_lo = const_scalar(im, n, 1, "min");
    if (im.has_input(n, 2)) f.clip_hi = const_scalar(im, n, 2, "max");
  }
  if (!(f.clip_lo <= f.clip_hi)) im.fail(n, "min must not exceed max");
  im.emit(std::move(f), n.output(0), im.full(x));
}

// --- linear layers
FTensor zeros(int64_t n) { return FTensor{{n}, std::vector<float>(n, 0.0f)}; }

// --- per-channel affine ops
// The per-channel values of constant c against activation shape xs: one value
// for a scalar, one per channel (logical dim 0) for e.g. [C,1,1] or
// [1,C,1,1], else one per element of xs when c broadcasts to it.
std::vector<float> channel_vector(const Importer& im, const Node& n, const Const& c,
                                  const Shape& xs) {
  const size_t lr = logical_of(xs).size();
  const size_t ca = xs.size() - lr;  // full axis of the channel dimension
  if (c.shape.size() > xs.size()) {
    im.fail(n, "constant of shape " + shape_str(c.shape) + " would broadcast the input " +
                   shape_str(xs) + " to a higher rank");
  }
  if (c.numel() == 1) return {c.f[0]};
  const size_t off = xs.size() - c.shape.size();
  bool ok = lr > 0 && ca >= off;
  for (size_t j = 0; ok && j < c.shape.size(); ++j) {
    ok = off + j == ca ? c.shape[j] == xs[ca] : c.shape[j] == 1;
  }
  if (!ok) return elementwise_constant(im, n, c, xs);  // one value per element (ops_eltwise.cc)
  return c.f;
}

// Folds y = x*s + t into the Conv/Gemm producing input `xi` of n when n is its
// only consumer; returns false when that is not possible.
bool fold_into_producer(Importer& im, const Node& n, int xi, const std::vector<float>* s,
                        const std::vector<float>& t) {
  if (!im.exclusive(n, xi)) return false;
  const int x = im.sym(n, xi).value;
  FNode* p = im.producer(x);
  if (!p || (p->kind != OpKind::kConv && p->kind != OpKind::kGemm)) return false;
  const int64_t N = p->weight.shape[0];
  auto at = [](const std::vector<float>& v, int64_t k) { return v[v.size() == 1 ? 0 : k]; };
  if (t.size() != 1 && static_cast<int64_t>(t.size()) != N) return false;
  if (s && s->size() != 1 && static_cast<int64_t>(s->size()) != N) return false;
  if (p->bias.data.empty()) p->bias = zeros(N);
  const int64_t per = static_cast<int64_t>(p->weight.data.size()) / N;
  for (int64_t o = 0; o < N; ++o) {
    if (s) {
      for (int64_t k = 0; k < per; ++k) p->weight.data[o * per + k] *= at(*s, o);
      p->bias.data[o] *= at(*s, o);
    }
    p->bias.data[o] += at(t, o);
  }
  im.rebind_value(x, n.output(0));
  return true;
}

void emit_affine(Importer& im, const Node& n, int x, std::vector<float> w, std::vector<float> b) {
  FNode f = make(im, n, OpKind::kChannelAffine, {x});
  f.weight = FTensor{{static_cast<int64_t>(w.size())}, std::move(w)};
  f.bias = FTensor{{static_cast<int64_t>(b.size())}, std::move(b)};
  im.emit(std::move(f), n.output(0), im.full(x));
}

// The per-channel map y = x*s[c] + t[c] on a batch x [N,C,...] with N > 1:
// the N*C channels of one sample [1,N*C,...] (Reshape views, data order
// unchanged), the values once per batch element.
void emit_batched_affine(Importer& im, const Node& n, int x, const std::vector<float>& s,
                         const std::vector<float>& t) {
  const Shape xs = im.full(x);
  Shape as1 = xs;
  as1[1] = xs[0] * xs[1];
  as1[0] = 1;
  const int v =
      im.emit(make(im, n, OpKind::kReshape, {x}, "/as_sample"), n.output(0) + "/zk_sample", as1);
  std::vector<float> w, b;
  for (int64_t i = 0; i < xs[0]; ++i) {
    w.insert(w.end(), s.begin(), s.end());
    b.insert(b.end(), t.begin(), t.end());
  }
  FNode f = make(im, n, OpKind::kChannelAffine, {v});
  f.weight = FTensor{{static_cast<int64_t>(w.size())}, std::move(w)};
  f.bias = FTensor{{static_cast<int64_t>(b.size())}, std::move(b)};
  const int y = im.emit(std::move(f), n.output(0) + "/zk_sample_out", as1);
  im.emit(make(im, n, OpKind::kReshape, {y}, "/from_sample"), n.output(0), xs);
}

// x + mask with a constant mask of 0 and -inf (an additive attention mask):
// a Move keeping x where the mask is 0 and the constant -inf elsewhere, the
// form a masked Softmax lowers exactly (quant/lower_mask.cc). False when the
// constant is not such a mask.
bool emit_additive_mask(Importer& im, const Node& n, int x, const Const& c) {
  bool any = false;
  for (float v : c.f) {
    if (v != 0.0f && !(std::isinf(v) && v < 0)) return false;
    any = any || v != 0.0f;
  }
  if (!any) return false;
  const std::vector<float> e = elementwise_constant(im, n, c, im.full(x));
  FNode mv = make(im, n, OpKind::kMove, {x}, "/mask");
  mv.weight = FTensor{{static_cast<int64_t>(e.size())}, std::vector<float>(e.size(), 0.0f)};
  for (size_t i = 0; i < e.size(); ++i) {
    mv.src.push_back(e[i] == 0.0f ? static_cast<int64_t>(i) : -1);
    if (e[i] != 0.0f) mv.weight.data[i] = e[i];
  }
  im.emit(std::move(mv), n.output(0), im.full(x));
  return true;
}

void conv_arith(Importer& im, const Node& n) {
  // Opset 6: `broadcast` = 1 aligns the second operand at `axis` (default:
  // its trailing axes, which NumPy broadcasting does too).
  if (im.opset() < 7 && im.attr(n, "axis") && im.attr_int(n, "broadcast", 0) != 0) {
    const int64_t ra = static_cast<int64_t>(in_full(im, n, 0).size());
    const int64_t rb = static_cast<int64_t>(in_full(im, n, 1).size());
    if (norm_axis(im, n, im.attr_int(n, "axis", 0), ra) != ra - rb)
      im.fail_attr(n, "axis", "must align the second operand with the trailing axes");
  }
  if (fold_matmul_bias(im, n)) return;  // a bias after MatMul (ops_linalg.cc)
  const std::string& op = n.op_type();
  const Sym& a = im.sym(n, 0);
  const Sym& b = im.sym(n, 1);
  if (a.is_const() && b.is_const()) return fold_binary(im, n);
  if (!a.is_const() && !b.is_const()) return conv_eltwise_pair(im, n);  // ops_eltwise.cc
  const bool const_first = a.is_const();
  const int xi = const_first ? 1 : 0;
  const int x = im.act(n, xi, "input");
  if (op == "Add" && emit_additive_mask(im, n, x, im.cst(n, 1 - xi, "constant operand"))) return;
  std::vector<float> c = channel_vector(im, n, im.cst(n, 1 - xi, "constant operand"), im.full(x));
  const std::vector<float> ones(c.size(), 1.0f), zero(c.size(), 0.0f);
  if (op == "Mul") return emit_affine(im, n, x, c, zero);
  if (op == "Div") {
    if (const_first) return conv_div_into_constant(im, n, c);  // c / x = c * (1/x)
    for (auto& v : c) {
      if (v == 0.0f || !std::isfinite(1.0f / v)) im.fail(n, "division by a zero constant");
      v = 1.0f / v;
    }
    return emit_affine(im, n, x, c, zero);
  }
  if (op == "Sub") {
    if (const_first) return emit_affine(im, n, x, std::vector<float>(c.size(), -1.0f), c);
    for (auto& v : c) v = -v;
  }
  // x + c (or x - c): fold into the bias of a preceding Gemm/Conv if possible.
  if (fold_into_producer(im, n, xi, nullptr, c)) return;
  emit_affine(im, n, x, ones, c);
}

void conv_batchnorm(Importer& im, const Node& n) {
  if (im.attr_int(n, "training_mode", 0) != 0) {
    im.fail_attr(n, "training_mode", "= 1 is not supported (inference only)");
  }
  const int x = im.act(n, 0, "X");
  const Shape xs = im.full(x);
  if (xs.size() < 2) im.fail(n, "expects input [N,C,...], got " + shape_str(xs));
  const int64_t C = xs[1];
  const char* roles[] = {"scale", "B", "input_mean", "input_var"};
  const Const* p[4];
  for (int i = 0; i < 4; ++i) {
    p[i] = &im.cst(n, i + 1, roles[i]);
    if (p[i]->numel() != C)
      im.fail(n, std::string(roles[i]) + " must have " + std::to_string(C) + " values");
  }
  const double eps = im.attr_float(n, "epsilon", 1e-5f);
  std::vector<float> s(C), t(C);
  for (int64_t c = 0; c < C; ++c) {
    const double sc = p[0]->f[c] / std::sqrt(static_cast<double>(p[3]->f[c]) + eps);
    s[c] = static_cast<float>(sc);
    t[c] = static_cast<float>(p[1]->f[c] - p[2]->f[c] * sc);
  }
  if (xs[0] != 1) return emit_batched_affine(im, n, x, s, t);
  if (fold_into_producer(im, n, 0, &s, t)) return;
  emit_affine(im, n, x, s, t);
}

// Zero padding of H and W. Folded into the following Conv when that Conv is the
// only consumer. Otherwise it is represented as AvgPool with kernel {1,1},
// strides {1,1} and the pads: a 1x1 window on the padding has no valid input
// and yields 0, every other window copies its input; the quantizer lowers an
// AvgPool 1x1 with pads as a plain zero pad.
void conv_pad(Importer& im, const Node& n) {
  // Other modes, values, axes and cropping: an index map (ops_move2.cc).
  if (im.attr_string(n, "mode", "constant") != "constant") return conv_pad_general(im, n);
  const int x = im.act(n, 0, "data");
  const Shape& xs = im.full(x);
  const int64_t r = static_cast<int64_t>(xs.size());
  const auto [pads, axes, value] = pad_args(im, n, r);
  if (value != 0) return conv_pad_general(im, n);
  const int64_t k = static_cast<int64_t>(axes.size());
  Shape begin(r, 0), end(r, 0);
  for (int64_t j = 0; j < k; ++j) {
    const int64_t ax = norm_axis(im, n, axes[j], r);
    begin[ax] = pads[j];
    end[ax] = pads[k + j];
    if (pads[j] < 0 || pads[k + j] < 0) return conv_pad_general(im, n);
    if (pads[j] > kMaxTensorElements || pads[k + j] > kMaxTensorElements)
      im.fail(n, "pads = " + shape_str(pads) + " exceed 2^28");
  }
  if (begin == Shape(r, 0) && end == Shape(r, 0)) return conv_identity(im, n);
  if (r != 4 || xs[0] != 1 || begin[0] || begin[1] || end[0] || end[1])
    return conv_pad_general(im, n);
  const std::array<int64_t, 4> p = {begin[2], begin[3], end[2], end[3]};
  const Node* cons = im.sole_consumer(n.output(0));
  if (cons && cons->op_type() == "Conv" && cons->domain().empty() &&
      cons->input(0) == n.output(0)) {
    Sym s;
    s.value = x;
    s.pending_pad = p;
    s.has_pending_pad = true;
    im.bind(n.output(0), s);
    return;
  }
  FNode f = make(im, n, OpKind::kAvgPool, {x});
  f.kernel = {1, 1};
  f.strides = {1, 1};
  f.pads = {p[0], p[1], p[2], p[3]};
  im.emit(std::move(f), n.output(0), {1, xs[1], xs[2] + p[0] + p[2], xs[3] + p[1] + p[3]});
}

}  // namespace

// Any registered lookup-table activation (model/activations.h).
void conv_activation(Importer& im, const Node& n) {
  // Pow of a constant base (base^x) or of two constants: ops_fold.cc.
  if (n.op_type() == "Pow" && im.sym(n, 0).is_const()) return conv_const_binary(im, n);
  const model::Activation* a = model::find_activation(n.op_type());
  if (!a) im.fail(n, "not a registered activation");
  const int x = im.act(n, 0, "input");
  FNode f = make(im, n, OpKind::kActivation, {x});
  f.activation = a->onnx_op;
  for (const auto& at : a->attrs) {
    if (at.input < 0) {
      f.attrs.push_back(im.attr_float(n, at.name, at.default_value));
    } else if (!im.has_input(n, at.input)) {
      f.attrs.push_back(at.default_value);
    } else if (!im.sym(n, at.input).is_const()) {
      im.fail(n, std::string("input '") + at.name +
                     "' must be a constant scalar (a computed one is not supported)");
    } else {
      f.attrs.push_back(const_scalar(im, n, at.input, at.name));
    }
  }
  im.emit(std::move(f), n.output(0), im.full(x));
}

namespace {

using Converter = void (*)(Importer&, const Node&);

// One entry per ONNX op the importer understands: (domain, op type, opset
// range) -> converter, with the forms it accepts. The supported-op list in
// error messages and docs/OPERATORS.md are generated from it.
struct OnnxOp {
  OpSupport support;
  Converter convert;
  bool multi_output = false;  // converts every used output (Split)
};

const std::vector<OnnxOp>& registry() {
  static const std::vector<OnnxOp> table = [] {
    auto op = [](const char* name, Converter c, std::string forms = "") {
      return OnnxOp{{"", name, kMinOpset, kMaxOpset, std::move(forms)}, c};
    };
    // Ops whose older forms the converter reads (same semantics).
    auto op_from = [](int since, const char* name, Converter c, std::string forms = "",
                      int until = kMaxOpset) {
      return OnnxOp{{"", name, since, until, std::move(forms)}, c};
    };
    const char* kFolded = "constants only (folded at compile time)";
    const char* kArithForms =
        "two tensors or a tensor and a constant (broadcast; opset 6's broadcast attribute with "
        "the second operand aligned to the trailing axes)";
    std::vector<OnnxOp> t = {
        op_from(6, "Gemm", conv_gemm,
                "transA, transB, alpha, beta; constant C per column; B constant or an activation"),
        op("MatMul", conv_matmul,
           "constant 2-D right operand with any leading dims on the left, or two activations "
           "with equal batch dims (or none on one side)"),
        op("Einsum", conv_einsum,
           "two operands in a matrix-product form (batch, contracted and free letters, e.g. "
           "bij,bjk->bik, bhid,bhjd->bhij); a constant operand without batch letters"),
        op("Conv", conv_conv,
           "1-D, 2-D and 3-D, any batch, constant weights, any group (depthwise), dilations, "
           "auto_pad"),
        op("ConvTranspose", conv_conv_transpose,
           "1-D and 2-D, any batch, constant weights, any group, strides, dilations, pads, "
           "output_padding (a Conv over the zero-stuffed input); no output_shape or auto_pad"),
        op("Relu", conv_relu),
        op("Clip", conv_clip, "constant bounds"),
        op(
            "MaxPool", [](Importer& im, const Node& n) { conv_pool(im, n, true); },
            "1-D, 2-D and 3-D, any batch, padding smaller than the window, ceil_mode and "
            "dilations (1-D/2-D), auto_pad"),
        op(
            "AveragePool", [](Importer& im, const Node& n) { conv_pool(im, n, false); },
            "1-D, 2-D and 3-D, any batch, ceil_mode (1-D/2-D, with count_include_pad = 0), "
            "auto_pad"),
        op("GlobalAveragePool", conv_global_pool, "any rank"),
        op("GlobalMaxPool", conv_global_pool, "any rank"),
        op("LpPool", conv_lp_pool,
           "1-D and 2-D, batch 1, p in [1, 8], strides, pads (|x|^p tables, a Conv sum, a "
           "root table); no dilations or ceil_mode"),
        op("ReduceMean", conv_reduce, "any axes"),
        op("ReduceSum", conv_reduce, "any axes"),
        op("ReduceMax", conv_reduce, "any axes"),
        op("ReduceMin", conv_reduce, "any axes"),
        op("ReduceL1", conv_reduce, "any axes (an Abs table, then a sum)"),
        op("ReduceSumSquare", conv_reduce, "any axes (an x^2 table, then a sum)"),
        op("ReduceL2", conv_reduce, "any axes (x^2 and sqrt tables)"),
        op("ReduceLogSumExp", conv_reduce, "any axes (max, exp and log tables)"),
        op("ReduceLogSum", conv_reduce, "any axes (a sum, then a Log table)"),
        op("Softmax", conv_softmax, "any axis (max, exp and log tables)"),
        op("ArgMax", conv_argmax,
           "any axis, keepdims, select_last_index (the max, an equality mask, the index as "
           "the min of a per-element affine of the mask)"),
        op("ArgMin", conv_argmax,
           "any axis, keepdims, select_last_index (the min, an equality mask, the index as "
           "the min of a per-element affine of the mask)"),
        op("LogSoftmax", conv_softmax, "any axis (max, exp and log tables)"),
        {{"", "TopK", kMinOpset, kMaxOpset,
          "constant k >= 1, any axis, largest or smallest, values and indices (ranks from "
          "pairwise comparisons, a one-hot by an IsZero table); always sorted"},
         conv_topk,
         true},
        op("LayerNormalization", conv_layer_norm,
           "constant scale and bias (decomposed: means, product, Sqrt and Reciprocal tables)"),
        op("InstanceNormalization", conv_instance_norm,
           "constant scale and bias (decomposed), any batch"),
        op_from(18, "GroupNormalization", conv_group_norm,
                "constant scale and bias per group (or per channel), any batch (decomposed)"),
        op_from(6, "Add", conv_arith, kArithForms),
        op_from(6, "Sub", conv_arith, kArithForms),
        op_from(6, "Mul", conv_arith, kArithForms),
        op_from(6, "Div", conv_arith,
                "two tensors or a tensor and a constant (broadcast); a tensor divisor through a "
                "reciprocal lookup table"),
        op("OneHot", conv_onehot,
           "computed indices, constant depth and values (an exact IsZero table per position)"),
        op("LRN", conv_lrn,
           "x (bias + alpha/size sum x^2)^-beta: a square table, a channel-band 1x1 Conv, a power "
           "table and a product"),
        op("BatchNormalization", conv_batchnorm, "inference form, any batch"),
        op_from(2, "Pad", conv_pad, "constant (any value), reflect, edge; constant pads"),
        op_from(1, "Flatten", conv_flatten),
        op_from(5, "Reshape", conv_reshape),
        op_from(1, "Squeeze", conv_squeeze),
        op_from(1, "Unsqueeze", conv_unsqueeze),
        op_from(1, "Transpose", conv_transpose),
        op_from(1, "Identity", conv_identity),
        op("Dropout", conv_dropout, "inference (identity)"),
        op_from(6, "Cast", conv_cast,
                "of constants (folded); of a computed tensor to float (identity), to an "
                "integer type (truncation table) or to bool (x != 0 table)"),
        op_from(1, "Constant", conv_constant),
        op("ConstantOfShape", conv_constant_of_shape),
        op_from(4, "Concat", conv_concat, "any axis, tensors and constants"),
        {{"", "Split", 2, kMaxOpset, "equal or given sizes; num_outputs (opset 18)"},
         conv_split,
         true},
        {{"", "LSTM", 7, kMaxOpset,
          "unrolled over a constant sequence length; batch 1, any direction, peepholes, "
          "initial states; no clip or input_forget"},
         conv_lstm,
         true},
        {{"", "GRU", 7, kMaxOpset,
          "unrolled over a constant sequence length; batch 1, any direction, "
          "linear_before_reset 0 or 1; no clip"},
         conv_gru,
         true},
        {{"", "RNN", 7, kMaxOpset,
          "unrolled over a constant sequence length; batch 1, any direction; no clip"},
         conv_rnn,
         true},
        op_from(1, "Slice", conv_slice, "constant starts, ends, axes, steps"),
        op_from(1, "Gather", conv_gather, "constant indices"),
        op_from(11, "GatherElements", conv_gather_elements,
                "any axis; constant indices (a move) or computed ones (a one-hot selection by "
                "IsZero tables, O(outputs x axis length))"),
        op_from(11, "GatherND", conv_gather_nd,
                "batch_dims 0; constant indices (a move) or computed ones (a one-hot selection "
                "of the slice, O(outputs x slices))"),
        op_from(11, "ScatterElements", conv_scatter_elements,
                "reduction none (the last write wins); constant indices (a move) or computed "
                "ones covering data on every other axis (a one-hot selection)"),
        op_from(9, "Scatter", conv_scatter_elements, "as ScatterElements", 10),
        op_from(11, "ScatterND", conv_scatter_nd,
                "reduction none (the last write wins); constant indices (a move) or computed "
                "ones (a one-hot selection of the slice)"),
        op_from(8, "Expand", conv_expand, "constant shape"),
        op_from(6, "Tile", conv_tile, "constant repeats"),
        op_from(1, "DepthToSpace", conv_depth_to_space, "DCR and CRD"),
        op_from(1, "SpaceToDepth", conv_space_to_depth),
        op_from(10, "Resize", conv_resize,
                "nearest (a copy), linear (a constant matrix up to 2^24 entries); constant scales "
                "or sizes"),
        op_from(7, "Upsample", conv_resize, "nearest, linear", 9),
        op_from(1, "Shape", conv_shape, "folded at compile time"),
        op_from(1, "Size", conv_size, "folded at compile time"),
        op_from(11, "Range", conv_range, kFolded),
        op_from(15, "CastLike", conv_cast_like, "of constants, and float to float"),
        op_from(14, "Trilu", conv_trilu, "constant k, upper or lower (a masked move)"),
    };
    for (const auto& e : eltwise_converters())  // ops_eltwise.cc
      t.push_back({{"", e.op_type, kMinOpset, kMaxOpset, e.forms}, e.convert});
    for (const auto& a : model::activations()) {
      std::string forms = std::string("lookup table: ") + a.doc;
      t.push_back(
          {{"", a.onnx_op, std::max(kMinOpset, a.since_opset), kMaxOpset, forms}, conv_activation});
    }
    // Ops read only on constants (folded; convert_node folds any node of
    // these types whose inputs are all constants before the lookup), last so
    // that an entry above for the same op (an activation) wins.
    const std::vector<OnnxOp> folded = {
        op_from(9, "NonZero", conv_nonzero, kFolded),
        op_from(7, "Div", conv_const_binary, kFolded),
        op_from(7, "Pow", conv_const_binary, kFolded),
        op_from(7, "Mod", conv_const_binary, kFolded),
        op_from(7, "Equal", conv_const_binary, kFolded),
        op_from(7, "Less", conv_const_binary, kFolded),
        op_from(7, "Greater", conv_const_binary, kFolded),
        op_from(12, "LessOrEqual", conv_const_binary, kFolded),
        op_from(12, "GreaterOrEqual", conv_const_binary, kFolded),
        op_from(7, "And", conv_const_binary, kFolded),
        op_from(7, "Or", conv_const_binary, kFolded),
        op_from(1, "Not", conv_const_unary, kFolded),
        op_from(6, "Neg", conv_const_unary, kFolded),
        op_from(6, "Abs", conv_const_unary, kFolded),
        op_from(6, "Floor", conv_const_unary, kFolded),
        op_from(6, "Ceil", conv_const_unary, kFolded),
        op_from(6, "Sqrt", conv_const_unary, kFolded),
        op_from(6, "Reciprocal", conv_const_unary, kFolded),
    };
    t.insert(t.end(), folded.begin(), folded.end());
    return t;
  }();
  return table;
}

const OnnxOp* find_op(const Node& n, int opset) {
  const std::string domain = n.domain() == "ai.onnx" ? "" : n.domain();
  for (const auto& o : registry())
    if (o.support.domain == domain && o.support.op_type == n.op_type() &&
        opset >= o.support.since_opset && opset <= o.support.until_opset)
      return &o;
  return nullptr;
}

}  // namespace

std::vector<float> channel_values(const Importer& im, const Node& n, const Const& c,
                                  const Shape& xs) {
  return channel_vector(im, n, c, xs);
}

}  // namespace conv

std::vector<OpSupport> supported_op_list() {
  std::vector<OpSupport> out;
  for (const auto& o : conv::registry()) out.push_back(o.support);
  return out;
}

std::string supported_ops() {
  std::string s;
  std::vector<std::string> seen;
  for (const auto& o : conv::registry()) {
    if (std::find(seen.begin(), seen.end(), o.support.op_type) != seen.end()) continue;
    seen.push_back(o.support.op_type);
    if (!s.empty()) s += ", ";
    s += o.support.op_type;
  }
  return s;
}

std::string operators_markdown() {
  std::string s =
      "# Supported ONNX operators\n\n"
      "Generated from the importer's registry (`src/onnx/ops.cc`, "
      "`src/model/activations.cc`); `tests/onnx/operators_doc_test.cc` keeps this file equal "
      "to it (run it with `ZK_UPDATE_DOCS=1` to rewrite the file after adding an op).\n\n"
      "Opsets stop at " +
      std::to_string(kMaxOpset) +
      "; newer models are refused with a message asking to re-export them. Models older than "
      "opset 9 are upgraded by ONNX's version converter (or read in their own forms where it "
      "fails). Debian's ONNX library knows schemas up to opset 17, so an opset-18 model skips "
      "its checker and shape inference: zkinfer computes every shape itself and reads the "
      "opset-18 forms (an `axes` input to Reduce* and Pad, Split's num_outputs, Resize's axes "
      "and antialias, GroupNormalization, Mish).\n\n"
      "**Lookup-table functions** (the rows marked \"lookup table\"): a table of 2^T rows (T = "
      "`--table-bits`, default 14) maps the quantized input q (step 2^-s_in) to round(f(q "
      "2^-s_in) 2^s_out). Declared input range: the input's calibrated magnitude with 1.25x "
      "headroom, within +-2^(T-2) steps (the whole table, +-2^(T-1) steps, is what a proof "
      "accepts); a value outside it is refused when proving (a range error naming the layer), "
      "never clamped. Error bound per value: |y - f(x)| <= 2^-(s_out+1) + max |f(t) - f(x)| "
      "over |t - x| <= d, where d is the rounding of x onto the table's input grid (2^-(s_in+1), "
      "plus x's own quantization error); `zkinfer inspect` lists every table's s_in and s_out, "
      "and `tests/model/activations_test.cc` checks the bound for every function.\n\n"
      "| op | domain | opsets | accepted forms |\n|---|---|---|---|\n";
  for (const auto& o : conv::registry()) {
    const auto& p = o.support;
    s += "| " + p.op_type + " | " + (p.domain.empty() ? "ai.onnx" : p.domain) + " | " +
         std::to_string(p.since_opset) + "-" + std::to_string(p.until_opset) + " | " + p.forms +
         " |\n";
  }
  return s;
}

void Importer::convert_node(const Node& n) {
  if (conv::fold_constant_node(*this, n)) return;
  const conv::OnnxOp* op = conv::find_op(n, opset_);
  if (!op) {
    for (const auto& o : conv::registry()) {
      if (o.support.op_type == n.op_type() && (n.domain().empty() || n.domain() == "ai.onnx"))
        fail(n, "zkinfer supports " + n.op_type() + " at opsets " +
                    std::to_string(o.support.since_opset) + " to " +
                    std::to_string(o.support.until_opset) +
                    "; re-export the model with a supported opset");
    }
    fail_unsupported(n);
  }
  if (n.output_size() < 1 || n.output(0).empty()) fail(n, "node has no output");
  for (int i = 1; i < n.output_size() && !op->multi_output; ++i) {
    if (!n.output(i).empty() && is_used(n.output(i))) {
      fail(n,
           "output " + std::to_string(i) + " ('" + printable(n.output(i)) + "') is not supported");
    }
  }
  op->convert(*this, n);
}

}  // namespace zk::onnx
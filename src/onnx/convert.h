// Internal to src/onnx: helpers shared by the op converters (ops.cc,
// shape_ops.cc) and the converters that ops.cc's dispatch table references.
#pragma once

#include <string>
#include <vector>

#include "onnx/importer.h"

namespace zk::onnx::conv {

using zk::model::FNode;
using zk::model::FTensor;
using zk::model::OpKind;
using Node = ::onnx::NodeProto;

inline FNode make(const Importer& im, const Node& n, OpKind kind, std::vector<int> inputs,
                  const std::string& suffix = "") {
  FNode f;
  f.kind = kind;
  f.name = im.node_name(n) + suffix;
  f.onnx_op = n.op_type();
  f.inputs = std::move(inputs);
  return f;
}

inline bool batched(const Shape& full) { return !full.empty() && full[0] == 1; }

inline int64_t norm_axis(const Importer& im, const Node& n, int64_t a, int64_t rank) {
  const int64_t r = a < 0 ? a + rank : a;
  if (r < 0 || r >= rank) {
    im.fail(n, "axis " + std::to_string(a) + " out of range for rank " + std::to_string(rank));
  }
  return r;
}

inline Shape const_ints(const Importer& im, const Node& n, int i, const char* role) {
  const Const& c = im.cst(n, i, role);
  if (!c.is_int) im.fail(n, std::string(role) + " must be an integer tensor");
  return c.i;
}

inline float const_scalar(const Importer& im, const Node& n, int i, const char* role) {
  const Const& c = im.cst(n, i, role);
  if (c.numel() != 1) im.fail(n, std::string(role) + " must be a scalar");
  return c.f[0];
}

inline Shape in_full(const Importer& im, const Node& n, int i) {
  const Sym& s = im.sym(n, i);
  return s.is_const() ? s.c->shape : im.full(s.value);
}

// Axes from the attribute (before `input_opset`) or from optional input 1.
inline Shape axes_of(const Importer& im, const Node& n, int input_opset, bool* given) {
  *given = true;
  if (im.opset() < input_opset) {
    if (!im.attr(n, "axes")) *given = false;
    return im.attr_ints(n, "axes", {});
  }
  if (!im.has_input(n, 1)) {
    *given = false;
    return {};
  }
  return const_ints(im, n, 1, "axes");
}

inline void check_one(const Importer& im, const Node& n, const char* name, const Shape& v) {
  for (auto d : v) {
    if (d != 1) im.fail_attr(n, name, "= " + shape_str(v) + " is not supported (only 1)");
  }
}

inline void check_auto_pad(const Importer& im, const Node& n) {
  const std::string ap = im.attr_string(n, "auto_pad", "NOTSET");
  if (ap != "NOTSET" && ap != "VALID" && !ap.empty()) {
    im.fail_attr(n, "auto_pad", "= " + ap + " is not supported (use explicit pads)");
  }
}

// Input 0 as [1,C,H,W]; fails otherwise.
inline const Shape& image_input(const Importer& im, const Node& n, int x) {
  const Shape& xs = im.full(x);
  if (xs.size() != 4 || xs[0] != 1) {
    im.fail(n, "expects a 2-D image input [1,C,H,W], got " + shape_str(xs));
  }
  return xs;
}

// Reshape-like ops, aliases and constants (shape_ops.cc).
void conv_reshape(Importer& im, const Node& n);
void conv_flatten(Importer& im, const Node& n);
void conv_squeeze(Importer& im, const Node& n);
void conv_unsqueeze(Importer& im, const Node& n);
void conv_transpose(Importer& im, const Node& n);
void conv_identity(Importer& im, const Node& n);
void conv_dropout(Importer& im, const Node& n);
void conv_cast(Importer& im, const Node& n);
void conv_constant(Importer& im, const Node& n);
void conv_constant_of_shape(Importer& im, const Node& n);

// Elementwise ops between activations (ops_eltwise.cc).
void conv_eltwise_pair(Importer& im, const Node& n);  // Add/Sub/Mul/Div of two tensors
void conv_div_into_constant(Importer& im, const Node& n, std::vector<float> c);  // c / x
// The registry entries of the other elementwise ops (Max, Min, Sum, Mean,
// PRelu, comparisons, logic, Where), all opsets.
struct EltwiseConverter {
  const char* op_type;
  void (*convert)(Importer&, const Node&);
  const char* forms;
};
const std::vector<EltwiseConverter>& eltwise_converters();
// Constant c broadcast to activation shape xs, one value per element (fails
// naming the node when c does not broadcast to xs).
std::vector<float> elementwise_constant(const Importer& im, const Node& n, const Const& c,
                                        const Shape& xs);
// The per-channel (or single, or per-element) values of constant c against
// activation shape xs (ops.cc); fails naming the node otherwise.
std::vector<float> channel_values(const Importer& im, const Node& n, const Const& c,
                                  const Shape& xs);
// OneHot of computed indices (ops_onehot.cc).
void conv_onehot(Importer& im, const Node& n);
// LRN as x * (bias + alpha/size * window sum of x^2)^-beta (ops_lrn.cc).
void conv_lrn(Importer& im, const Node& n);
// Any registered lookup-table activation (ops.cc).
void conv_activation(Importer& im, const Node& n);
// Linear algebra (ops_linalg.cc).
void conv_gemm(Importer& im, const Node& n);
void conv_matmul(Importer& im, const Node& n);
void conv_einsum(Importer& im, const Node& n);
// Conv and pooling, 1-D and 2-D (ops_conv.cc).
void conv_conv(Importer& im, const Node& n);
void conv_pool(Importer& im, const Node& n, bool is_max);
// ConvTranspose as a Conv over the zero-stuffed input (ops_convtr.cc).
void conv_conv_transpose(Importer& im, const Node& n);
// LpPool (ops_lppool.cc).
void conv_lp_pool(Importer& im, const Node& n);
// Conv and pooling of a 3-D input x [N,C,D,H,W] (ops_conv3d.cc).
void conv_conv3d(Importer& im, const Node& n, int x);
void conv_pool3d(Importer& im, const Node& n, int x, bool is_max);
// Folds Add/Sub of a per-column constant into the MatMul producing the other operand.
bool fold_matmul_bias(Importer& im, const Node& n);
// Reductions (ops_reduce.cc).
// Emits the reduction `kind` of activation x over the full-shape axes `red`
// as ONNX value `out` (keepdims or not); returns its value id.
int emit_reduce(Importer& im, const Node& n, OpKind kind, int x, const std::vector<bool>& red,
                bool keep, const std::string& out, const std::string& suffix = "");
void conv_reduce(Importer& im, const Node& n);
void conv_global_pool(Importer& im, const Node& n);
void conv_softmax(Importer& im, const Node& n);
// Recurrent cells unrolled over the constant sequence length (ops_rnn.cc).
void conv_lstm(Importer& im, const Node& n);
void conv_gru(Importer& im, const Node& n);
void conv_rnn(Importer& im, const Node& n);
// ArgMax and ArgMin (ops_argmax.cc).
void conv_argmax(Importer& im, const Node& n);
// GatherElements, GatherND, ScatterElements (Scatter) and ScatterND: a Move
// for constant indices, a one-hot selection for computed ones (ops_index.cc).
void conv_gather_elements(Importer& im, const Node& n);
void conv_gather_nd(Importer& im, const Node& n);
void conv_scatter_elements(Importer& im, const Node& n);
void conv_scatter_nd(Importer& im, const Node& n);
// TopK with a constant k, by ranks (ops_topk.cc).
void conv_topk(Importer& im, const Node& n);
// Normalizations (ops_norm.cc).
void conv_layer_norm(Importer& im, const Node& n);
void conv_instance_norm(Importer& im, const Node& n);
void conv_group_norm(Importer& im, const Node& n);
// Whether constant c broadcasts to activation shape xs (no rank growth) and
// varies along an axis other than the channel; then its values expanded to
// one per element of xs (row-major).
bool per_element_constant(const Const& c, const Shape& xs);
std::vector<float> expand_constant(const Const& c, const Shape& xs);

}  // namespace zk::onnx::conv

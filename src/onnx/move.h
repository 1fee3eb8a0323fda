// Internal to src/onnx: data movement as index maps over full ONNX shapes
// (the batch axis is an ordinary axis here). A map gives, for each output
// element (row-major), the index of its source in the concatenated flat data
// of the listed node inputs, or -1 for a fill value. emit_move folds the whole
// map when every listed input is a constant, and otherwise emits one
// model::OpKind::kMove node whose constant elements come from the constant
// inputs and the fill values.
#pragma once

#include <string>
#include <vector>

#include "onnx/convert.h"

namespace zk::onnx::conv {

// Row-major strides of a shape.
Shape strides_of(const Shape& s);
// Calls f(index) for every multi-index of `shape` in row-major order.
template <typename F>
void for_each_index(const Shape& shape, F&& f) {
  const int64_t n = numel_of(shape);
  Shape idx(shape.size(), 0);
  for (int64_t k = 0; k < n; ++k) {
    f(idx);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

struct Move {
  std::vector<int> inputs;   // node input positions whose data the map reads
  Shape out;                 // full output shape
  std::vector<int64_t> src;  // per output element: source index or -1
  std::vector<float> fill;   // value of -1 elements (empty: 0)
};

// Binds node output `out_index` to the result of the move.
void emit_move(Importer& im, const Node& n, const Move& m, int out_index = 0);

// Numpy-style broadcast of two shapes (fails naming the node).
Shape broadcast_shapes(const Importer& im, const Node& n, const Shape& a, const Shape& b);
// For each element of `out`, the flat index of the element of a tensor of
// shape `in` (broadcast to `out`) that it reads.
std::vector<int64_t> broadcast_map(const Shape& in, const Shape& out);

// Converters (ops_move.cc, ops_move2.cc, ops_fold.cc).
void conv_concat(Importer& im, const Node& n);
void conv_split(Importer& im, const Node& n);
void conv_slice(Importer& im, const Node& n);
void conv_gather(Importer& im, const Node& n);
// Gather of a constant table by computed ids (ops_embed.cc).
void conv_gather_embedding(Importer& im, const Node& n);
void conv_expand(Importer& im, const Node& n);
void conv_tile(Importer& im, const Node& n);
void conv_transpose_move(Importer& im, const Node& n, const Shape& perm);
void conv_pad_general(Importer& im, const Node& n);
// Pad's operands in both forms (attributes before opset 11, inputs after):
// the pads, the constant value and the axes (all axes when not given, so
// pads always has 2 entries per axis; checked).
struct PadArgs {
  Shape pads, axes;
  float value = 0;
};
PadArgs pad_args(Importer& im, const Node& n, int64_t rank);
void conv_depth_to_space(Importer& im, const Node& n);
void conv_space_to_depth(Importer& im, const Node& n);
void conv_resize(Importer& im, const Node& n);
void conv_where_const(Importer& im, const Node& n);  // a constant condition
void conv_shape(Importer& im, const Node& n);
void conv_size(Importer& im, const Node& n);
void conv_range(Importer& im, const Node& n);
void conv_nonzero(Importer& im, const Node& n);  // of a constant (ops_fold.cc)
void conv_cast_like(Importer& im, const Node& n);
// Trilu with a constant k: a masked move (ops_trilu.cc).
void conv_trilu(Importer& im, const Node& n);
// Elementwise ops on two constants (Add, Sub, Mul, Div, Equal, Less,
// Greater, ...), folded at compile time with broadcasting.
void fold_binary(Importer& im, const Node& n);
// Folds n when it is one of those elementwise ops (or Neg, Not, Abs, Floor,
// Ceil, Sqrt, Reciprocal) and all its inputs are constants; false otherwise.
bool fold_constant_node(Importer& im, const Node& n);
void conv_const_binary(Importer& im, const Node& n);
void conv_const_unary(Importer& im, const Node& n);

}  // namespace zk::onnx::conv

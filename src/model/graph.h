// The model as plain data: a small set of normalized float ops that the ONNX
// importer produces and that quantization lowers to a circuit. Shapes here are
// logical (ONNX) shapes: a leading batch dimension of 1 is dropped, a larger
// one is kept (most ops need batch 1; Gemm/MatMul rows may be a batch).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "field/error.h"

namespace zk::model {

// A user-facing error: bad model, bad input, unsupported op. The CLI prints
// what() and exits non-zero.
class ModelError : public Error {
 public:
  using Error::Error;
};

struct FTensor {
  std::vector<int64_t> shape;
  std::vector<float> data;  // row-major
  int64_t numel() const {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
};

enum class OpKind {
  kConv,           // in: [C,H,W]; weight [O,C,KH,KW], bias [O]; strides, pads
  kGemm,           // in: any shape, read flattened; weight [N,K], bias [N]; out [N]
  kRelu,           //
  kClip,           // clip_lo, clip_hi
  kMaxPool,        // kernel, strides, pads (padding never wins: ONNX's -inf)
  kAvgPool,        // kernel, strides, pads, count_include_pad; kernel {1,1},
                   // strides {1,1} with pads is a plain zero pad (the ONNX importer's
                   // encoding of a Pad that it cannot fold into a following Conv)
  kGlobalAvgPool,  // [C,H,W] -> [C,1,1]   (also ReduceMean over H,W with keepdims)
  kAdd,            // two activation tensors of the same shape
  kChannelAffine,  // y[c,...] = x[c,...] * weight[c] + bias[c]  (BatchNorm alone,
                   // Mul/Add by constants broadcast per channel or scalar), or
                   // with weight and bias of one value per element
  kReshape,        // out shape given; data order unchanged (Flatten, Reshape)
  kTranspose,      // perm over logical dims
  kActivation,     // y = f(x) elementwise, f the registered activation `activation`
                   // (model/activations.h) with attribute values `attrs`
  // Two activation tensors with NumPy broadcasting (float_eltwise.cc; kAdd
  // broadcasts too): a * b, a - b, max(a, b), min(a, b).
  kMul,
  kSub,
  kMax,
  kMin,
  kMove,    // data movement: y[i] = src[i] >= 0 ? (inputs' flat data, concatenated
            // in input order)[src[i]] : weight.data[i] (a constant; 0 when empty).
            // Concat, Split, Slice, Gather, Expand, Tile, Pad, DepthToSpace, ...
  kMatMul,  // in: A [..., I, K]; B = weight [K, N] (constant) or inputs[1] [..., K, J]
            // (batch dims shared, or absent on one side); + bias [J]; attrs {alpha}
  // Comparisons of two tensors (broadcast), 1 where true and 0 elsewhere:
  // a < b, a <= b, a == b (Greater and GreaterOrEqual swap the operands).
  kLess,
  kLessEq,
  kEqual,
  kReduceSum,        // sum over the logical input axes `axes` (float_reduce.cc); the
  kReduceMean,       // output holds the kept elements in row-major order (any shape
  kReduceMax,        // of that size: keepdims or not)
  kReduceMin,        //
  kReduceSumSquare,  // sum of x^2, sqrt of it, log of the sum of exp (float_reduce.cc)
  kReduceL2,         //
  kReduceLogSumExp,  //
  kSoftmax,          // over the logical axes `axes` jointly (one axis from opset 13,
  kLogSoftmax,       // the trailing block from `axis` before); output shape = input's
};

const char* op_kind_name(OpKind k);

struct FNode {
  OpKind kind;
  std::string name;                            // ONNX node name (or "<op>_<index>" when unnamed)
  std::string onnx_op;                         // the ONNX op type it came from, for messages
  std::vector<int> inputs;                     // value ids
  int output = -1;                             // value id
  FTensor weight, bias;                        // constant parameters (kConv, kGemm, kChannelAffine)
  std::vector<int64_t> kernel, strides, pads;  // 2-D: {h,w}, pads {top,left,bottom,right}
  std::vector<int64_t> dilations;              // kMaxPool: {h,w} (empty: 1)
  std::vector<int64_t> perm;                   // kTranspose
  float clip_lo = 0, clip_hi = 0;              // kClip
  bool count_include_pad = false;              // kAvgPool: divide by the whole window
  bool zero_guard = false;    // its output is 0 on valid inputs: scaled as if never calibrated
  std::string activation;     // kActivation: the registered op type
  std::vector<float> attrs;   // kActivation: attribute values
  std::vector<int64_t> src;   // kMove: the source of each output element
  std::vector<int64_t> axes;  // kReduce*: reduced logical input axes
};

struct Value {
  std::string name;            // ONNX value name
  std::vector<int64_t> shape;  // logical shape, batch dimension removed
};

struct FloatGraph {
  std::vector<Value> values;
  std::vector<int> inputs;   // value ids of model inputs, in ONNX order
  std::vector<int> outputs;  // value ids of model outputs
  std::vector<FNode> nodes;  // topological order
  int opset = 0;
};

// Runs the float model. inputs[i] is the flat row-major data of graph.inputs[i].
// Returns every value (indexed by value id) so calibration can read ranges.
std::vector<std::vector<float>> run_float(const FloatGraph& g,
                                          const std::vector<std::vector<float>>& inputs);

}  // namespace zk::model

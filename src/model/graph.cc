#include "model/graph.h"

namespace zk::model {

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::kConv:
      return "Conv";
    case OpKind::kGemm:
      return "Gemm";
    case OpKind::kRelu:
      return "Relu";
    case OpKind::kClip:
      return "Clip";
    case OpKind::kMaxPool:
      return "MaxPool";
    case OpKind::kAvgPool:
      return "AvgPool";
    case OpKind::kGlobalAvgPool:
      return "GlobalAvgPool";
    case OpKind::kAdd:
      return "Add";
    case OpKind::kChannelAffine:
      return "ChannelAffine";
    case OpKind::kReshape:
      return "Reshape";
    case OpKind::kTranspose:
      return "Transpose";
    case OpKind::kActivation:
      return "Activation";
    case OpKind::kMul:
      return "Mul";
    case OpKind::kSub:
      return "Sub";
    case OpKind::kMax:
      return "Max";
    case OpKind::kMin:
      return "Min";
    case OpKind::kMove:
      return "Move";
    case OpKind::kMatMul:
      return "MatMul";
    case OpKind::kLess:
      return "Less";
    case OpKind::kLessEq:
      return "LessOrEqual";
    case OpKind::kEqual:
      return "Equal";
    case OpKind::kReduceSum:
      return "ReduceSum";
    case OpKind::kReduceMean:
      return "ReduceMean";
    case OpKind::kReduceMax:
      return "ReduceMax";
    case OpKind::kReduceMin:
      return "ReduceMin";
    case OpKind::kReduceSumSquare:
      return "ReduceSumSquare";
    case OpKind::kReduceL2:
      return "ReduceL2";
    case OpKind::kReduceLogSumExp:
      return "ReduceLogSumExp";
    case OpKind::kSoftmax:
      return "Softmax";
    case OpKind::kLogSoftmax:
      return "LogSoftmax";
  }
  return "?";
}

}  // namespace zk::model

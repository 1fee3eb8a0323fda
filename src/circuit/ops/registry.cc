#include <string>

#include "circuit/ops/op.h"

namespace zk::circuit {

const OpDef& op_def(NodeType t) {
  switch (t) {
    case NodeType::kGemm:
      return kGemmOp;
    case NodeType::kConv:
      return kConvOp;
    case NodeType::kWindowSum:
      return kWindowSumOp;
    case NodeType::kChannelAffine:
      return kChannelAffineOp;
    case NodeType::kGather:
      return kGatherOp;
    case NodeType::kLinComb:
      return kLinCombOp;
    case NodeType::kRequant:
      return kRequantOp;
    case NodeType::kMaxDiff:
      return kMaxDiffOp;
    case NodeType::kMaxStep:
      return kMaxStepOp;
    case NodeType::kSplit:
      return kSplitOp;
  }
  return kLinCombOp;  // unreachable: node types are validated on load
}

PredicateReduction predicate_sumcheck(ReduceContext& ctx, std::vector<Fp2> pred, int t, Val claim) {
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover()) tables = {std::move(pred), to_ext(ctx.values(t))};
  auto sc =
      ctx.sumcheck(tables, {{Fp2::one(), {0, 1}}}, 2, claim, ctx.circuit().tensors[t].num_vars());
  PredicateReduction out{sc.point, sc.final_value, Val()};
  out.tensor_value = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  return out;
}

void check_range(const Node& n, const Tensor& t, const std::vector<int64_t>& v, int64_t lo,
                 int64_t hi, const char* what) {
  for (size_t i = 0; i < v.size(); ++i) {
    if ((v[i] < lo || v[i] > hi) && is_valid_index(t, i))
      throw RangeError("layer '" + n.layer + "': " + what + " " + std::to_string(v[i]) +
                       " in tensor '" + t.name + "' is outside the provable range [" +
                       std::to_string(lo) + ", " + std::to_string(hi) +
                       "]; recompile with calibration data that covers this input");
  }
}

}  // namespace zk::circuit

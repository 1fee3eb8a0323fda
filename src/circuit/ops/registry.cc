#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "circuit/ops/op.h"

namespace zk::circuit {

// The ops, one file each.
const OpDef &gemm_op(), &conv_op(), &window_sum_op(), &channel_affine_op(), &gather_op(),
    &lin_comb_op(), &requant_op(), &max_diff_op(), &max_step_op(), &split_op(), &mul_op(),
    &matmul_op(), &depthwise_conv_op(), &axis_sum_op();

const OpDef& op_def(NodeType t) {
  // In NodeType order (the serialized id).
  static const OpDef* const kOps[] = {
      &gemm_op(),     &conv_op(),    &window_sum_op(),     &channel_affine_op(), &gather_op(),
      &lin_comb_op(), &requant_op(), &max_diff_op(),       &max_step_op(),       &split_op(),
      &mul_op(),      &matmul_op(),  &depthwise_conv_op(), &axis_sum_op()};
  static_assert(std::size(kOps) == static_cast<size_t>(NodeType::kNumNodeTypes));
  auto i = static_cast<size_t>(t);
  if (i >= std::size(kOps)) throw FormatError("invalid node type");
  return *kOps[i];
}

void bad_node(const std::string& where, const std::string& what) {
  throw FormatError(where + what);
}

const Tensor& node_input(const Circuit& c, const Node& n, size_t k, const std::string& where) {
  if (k >= n.in.size()) bad_node(where, "missing input");
  return c.tensors[n.in[k]];
}

bool is_relu_table(const Circuit& c, int table) {
  return table >= 0 && table < static_cast<int>(c.tables.size()) &&
         c.tables[table].kind == TableKind::kRelu;
}

double matrix_bound(const Circuit& c, const Node& n, const Values& weights,
                    const std::vector<double>& b) {
  const Tensor& w = c.tensors[n.in[1]];
  auto wabs = [&](int t, size_t i) { return std::fabs(static_cast<double>(weights[t][i])); };
  size_t rows = size_t{1} << w.log_dims[0], per = w.padded_size() / rows;
  double worst = 0;
  for (size_t r = 0; r < rows; ++r) {
    double sum = wabs(n.in[2], r);
    for (size_t k = 0; k < per; ++k) sum += wabs(n.in[1], r * per + k) * b[n.in[0]];
    worst = std::max(worst, sum);
  }
  return worst;
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

void check_range(const Circuit& c, const Node& n, int tensor, const std::vector<int64_t>& v,
                 int64_t lo, int64_t hi, const char* what) {
  const Tensor& t = c.tensors[tensor];
  for (size_t i = 0; i < v.size(); ++i) {
    if ((v[i] >= lo && v[i] <= hi) || !is_valid_index(t, i)) continue;
    // A value computed from a hidden input or hidden weights is itself
    // secret: an error that printed it would be an oracle on them.
    const bool hidden = hidden_dependent(c)[tensor];
    const std::string shown = hidden ? "" : " " + std::to_string(v[i]);
    std::string msg = "layer '" + n.layer + "': " + what + shown + " in tensor '" + t.name +
                      "' is outside the provable range [" + std::to_string(lo) + ", " +
                      std::to_string(hi) +
                      "]; recompile with calibration data that covers this input";
    if (hidden) msg += " (the value is not shown: it depends on hidden data; --debug shows it)";
    RangeError e(msg);
    if (hidden) e.hidden_value = v[i];
    throw e;
  }
}

}  // namespace zk::circuit

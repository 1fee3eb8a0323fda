// Gather: out[i] = x[map[i]] (map -1: zero) — data movement the compiler
// could not fold into a Gemm (a Reshape or Transpose feeding something else).
// A claim out(r) = v is sum_j P(j) x(j) with the sparse predicate
// P(j) = sum_{i: map[i] = j} eq(r, i), which the verifier evaluates in
// O(|out| + |x|).
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  const auto& x = v[n.in[0]];
  std::vector<int64_t> out(c.tensors[n.out[0]].padded_size(), 0);
  for (size_t i = 0; i < out.size(); ++i)
    if (n.map[i] >= 0) out[i] = x[n.map[i]];
  v[n.out[0]] = std::move(out);
}

void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  int x = n.in[0];
  const Tensor& xt = ctx.circuit().tensors[x];
  auto er = eq_table(r);
  std::vector<Fp2> pred;
  if (ctx.prover()) {
    pred.assign(xt.padded_size(), Fp2::zero());
    for (size_t i = 0; i < n.map.size(); ++i)
      if (n.map[i] >= 0) pred[n.map[i]] += er[i];
  }
  auto red = predicate_sumcheck(ctx, std::move(pred), x, v);
  if (!ctx.prover()) {
    auto es = eq_table(red.point);
    Fp2 pv = Fp2::zero();
    for (size_t i = 0; i < n.map.size(); ++i)
      if (n.map[i] >= 0) pv += er[i] * es[n.map[i]];
    ctx.check_eq(pv * red.tensor_value, red.final_value, "sumcheck final check failed");
  }
  ctx.resolve(x, red.point, red.tensor_value);
}

}  // namespace

const OpDef kGatherOp{execute, reduce};

}  // namespace zk::circuit

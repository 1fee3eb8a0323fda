// LinComb: out[i] = sum_t coeff_t * tensor_t[view_t(i)] + constant — residual
// adds with scale alignment and the pooled values of max pooling. A claim is
// checked directly against the claimed terms, which are then resolved.
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  std::vector<int64_t> out(c.tensors[n.out[0]].padded_size(), n.expr.constant);
  for (const auto& t : n.expr.terms) {
    const auto& tv = v[t.tensor];
    for (size_t i = 0; i < out.size(); ++i) out[i] += t.coeff * tv[view_index(t, i)];
  }
  v[n.out[0]] = std::move(out);
}

void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  Val e = ctx.expr_claim(n.expr, r);
  ctx.check_eq(e, v, "linear combination check failed");
}

}  // namespace

const OpDef kLinCombOp{execute, reduce};

}  // namespace zk::circuit

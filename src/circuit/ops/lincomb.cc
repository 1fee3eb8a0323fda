// LinComb: out[i] = sum_t coeff_t * tensor_t[view_t(i)] + constant — residual
// adds with scale alignment and the pooled values of max pooling. A claim is
// checked directly against the claimed terms, which are then resolved.
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const LinExpr& expr = n.p<LinCombParams>().expr;
  std::vector<int64_t> out(c.tensors[n.out[0]].padded_size(), expr.constant);
  for (const auto& t : expr.terms) {
    const auto& tv = v[t.tensor];
    for (size_t i = 0; i < out.size(); ++i) out[i] += t.coeff * tv[view_index(t, i)];
  }
  v[n.out[0]] = std::move(out);
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const LinExpr& expr = n.p<LinCombParams>().expr;
  Val e = ctx.expr_claim(expr, r);
  ctx.check_eq(e, v, "linear combination check failed");
}

class LinCombOp final : public OpDef {
 public:
  const char* name() const override { return "LinComb"; }
  bool derived() const override { return true; }
  NodeParams default_params() const override { return LinCombParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor& o = c.tensors[n.out[0]];
    int node = c.tensors[n.out[0]].producer;
    for (const auto& t : n.p<LinCombParams>().expr.terms) {
      if (t.tensor < 0 || t.tensor >= static_cast<int>(c.tensors.size()))
        bad_node(where, "expression term out of range");
      const Tensor& tt = c.tensors[t.tensor];
      unsigned extra = t.insert_var >= 0 ? 1 : 0;
      if (tt.num_vars() != o.num_vars() + extra || t.insert_bit > 1 ||
          t.insert_var > static_cast<int>(o.num_vars()) || t.insert_var < -1)
        bad_node(where, "term shape does not match");
      bool ready = tt.kind == TensorKind::kInput || tt.kind == TensorKind::kWeight ||
                   (tt.producer >= 0 && tt.producer < node);
      if (!ready) bad_node(where, "term is not computed before the node");
    }
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    const LinExpr& e = n.p<LinCombParams>().expr;
    double sum = std::fabs(static_cast<double>(e.constant));
    for (const auto& t : e.terms) sum += std::fabs(static_cast<double>(t.coeff)) * b[t.tensor];
    b[n.out[0]] = sum;
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& lin_comb_op() {
  static const LinCombOp op;
  return op;
}

}  // namespace zk::circuit

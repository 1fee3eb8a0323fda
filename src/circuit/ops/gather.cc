// Gather: out[i] = x[map[i]] (map -1: zero) — data movement the compiler
// could not fold into a Gemm (a Reshape or Transpose feeding something else).
// A claim out(r) = v is sum_j P(j) x(j) with the sparse predicate
// P(j) = sum_{i: map[i] = j} eq(r, i), which the verifier evaluates in
// O(|out| + |x|).
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const auto& map = n.p<GatherParams>().map;
  const auto& x = v[n.in[0]];
  std::vector<int64_t> out(c.tensors[n.out[0]].padded_size(), 0);
  for (size_t i = 0; i < out.size(); ++i)
    if (map[i] >= 0) out[i] = x[map[i]];
  v[n.out[0]] = std::move(out);
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const auto& map = n.p<GatherParams>().map;
  int x = n.in[0];
  const Tensor& xt = ctx.circuit().tensors[x];
  auto er = eq_table(r);
  std::vector<Fp2> pred;
  if (ctx.prover()) {
    pred.assign(xt.padded_size(), Fp2::zero());
    for (size_t i = 0; i < map.size(); ++i)
      if (map[i] >= 0) pred[map[i]] += er[i];
  }
  auto red = predicate_sumcheck(ctx, std::move(pred), x, v);
  if (!ctx.prover()) {
    auto es = eq_table(red.point);
    Fp2 pv = Fp2::zero();
    for (size_t i = 0; i < map.size(); ++i)
      if (map[i] >= 0) pv += er[i] * es[map[i]];
    ctx.check_eq(pv * red.tensor_value, red.final_value, "sumcheck final check failed");
  }
  ctx.resolve(x, red.point, red.tensor_value);
}

class GatherOp final : public OpDef {
 public:
  const char* name() const override { return "Gather"; }
  bool derived() const override { return true; }
  NodeParams default_params() const override { return GatherParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &x = node_input(c, n, 0, where), &o = c.tensors[n.out[0]];
    const auto& map = n.p<GatherParams>().map;
    if (map.size() != o.padded_size()) bad_node(where, "map has the wrong size");
    if (x.num_vars() > 26 || o.num_vars() > 26) bad_node(where, "too large to verify");
    for (auto m : map)
      if (m < -1 || m >= static_cast<int64_t>(x.padded_size()))
        bad_node(where, "map points outside its input");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = b[n.in[0]];
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& gather_op() {
  static const GatherOp op;
  return op;
}

}  // namespace zk::circuit

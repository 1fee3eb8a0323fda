// Mul: out[i] = a[i] * b[i], the Hadamard product of two tensors of the same
// padded shape (products of activations, gates, squares). A claim
// out(r) = v becomes the degree-3 sumcheck sum_x eq(r, x) a(x) b(x) = v,
// leaving claims on a and b at the sumcheck's point s; the verifier checks
// eq(r, s) a(s) b(s) against the final value. The product is positionwise:
// a valid output position reads only the same valid positions of a and b, so
// whatever their padding holds (a table's f(0), or anything a prover
// committed there) never reaches a valid position.
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const auto& a = v[n.in[0]];
  const auto& b = v[n.in[1]];
  std::vector<int64_t> out(a.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = a[i] * b[i];
  v[n.out[0]] = std::move(out);
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  int a = n.in[0], b = n.in[1];
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover()) tables = {eq_table(r), to_ext(ctx.values(a)), to_ext(ctx.values(b))};
  auto sc =
      ctx.sumcheck(tables, {{Fp2::one(), {0, 1, 2}}}, 3, v, ctx.circuit().tensors[a].num_vars());
  Val av = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  Val bv = ctx.exchange(ctx.prover() ? tables[2][0] : Fp2());
  if (!ctx.prover())
    ctx.check_eq(eq_eval(r, sc.point) * av * bv, sc.final_value,
                 "product sumcheck final check failed");
  ctx.resolve(a, sc.point, av);
  ctx.resolve(b, sc.point, bv);
}

class MulOp final : public OpDef {
 public:
  const char* name() const override { return "Mul"; }
  bool derived() const override { return true; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &a = node_input(c, n, 0, where), &b = node_input(c, n, 1, where),
                 &o = c.tensors[n.out[0]];
    if (n.in.size() != 2 || n.out.size() != 1 || a.log_dims != o.log_dims ||
        b.log_dims != o.log_dims || a.dims != o.dims || b.dims != o.dims)
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = b[n.in[0]] * b[n.in[1]];
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& mul_op() {
  static const MulOp op;
  return op;
}

}  // namespace zk::circuit

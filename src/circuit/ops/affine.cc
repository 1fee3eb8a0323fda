// ChannelAffine: out[c, ...] = a[c] x[c, ...] + b[c] (a standalone BatchNorm,
// or multiplication/addition by per-channel constants). A claim out(r) = v
// becomes v - b(r_c) = sum_i eq(r, i) a[c(i)] x[i], a degree-3 sumcheck.
#include <algorithm>
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const auto& x = v[n.in[0]];
  const auto& a = v[n.in[1]];
  const auto& b = v[n.in[2]];
  unsigned shift = c.tensors[n.in[0]].num_vars() - c.tensors[n.in[1]].num_vars();
  std::vector<int64_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = a[i >> shift] * x[i] + b[i >> shift];
  v[n.out[0]] = std::move(out);
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const Circuit& c = ctx.circuit();
  int x = n.in[0], a = n.in[1], b = n.in[2];
  const Tensor& xt = c.tensors[x];
  unsigned la = c.tensors[a].num_vars(), low = xt.num_vars() - la;
  Point rc = slice(r, low, la);
  Val bv = ctx.claim(b, rc);
  ctx.resolve(b, rc, bv);
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover()) {
    const auto& A = ctx.values(a);
    std::vector<Fp2> abig(xt.padded_size());
    for (size_t i = 0; i < abig.size(); ++i) abig[i] = Fp2::from_int(A[i >> low]);
    tables = {eq_table(r), std::move(abig), to_ext(ctx.values(x))};
  }
  auto sc = ctx.sumcheck(tables, {{Fp2::one(), {0, 1, 2}}}, 3, v - bv, xt.num_vars());
  Val av = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  Val xv = ctx.exchange(ctx.prover() ? tables[2][0] : Fp2());
  if (!ctx.prover())
    ctx.check_eq(eq_eval(r, sc.point) * av * xv, sc.final_value, "sumcheck final check failed");
  ctx.resolve(a, slice(sc.point, low, la), av);
  ctx.resolve(x, sc.point, xv);
}

class ChannelAffineOp final : public OpDef {
 public:
  const char* name() const override { return "ChannelAffine"; }
  bool derived() const override { return true; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &x = node_input(c, n, 0, where), &a = node_input(c, n, 1, where),
                 &b = node_input(c, n, 2, where), &o = c.tensors[n.out[0]];
    // a and b cover a leading prefix of x's dimensions (per channel, or per
    // position for average pooling's border divisors).
    bool prefix = !a.log_dims.empty() && a.log_dims.size() <= x.log_dims.size() &&
                  std::equal(a.log_dims.begin(), a.log_dims.end(), x.log_dims.begin());
    if (!is_weight(a) || !is_weight(b) || !prefix || b.log_dims != a.log_dims ||
        o.log_dims != x.log_dims)
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    double worst = 0;
    for (size_t i = 0; i < w[n.in[1]].size(); ++i)
      worst = std::max(worst, std::fabs(static_cast<double>(w[n.in[1]][i])) * b[n.in[0]] +
                                  std::fabs(static_cast<double>(w[n.in[2]][i])));
    b[n.out[0]] = worst;
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& channel_affine_op() {
  static const ChannelAffineOp op;
  return op;
}

}  // namespace zk::circuit

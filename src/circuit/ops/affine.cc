// ChannelAffine: out[c, ...] = a[c] x[c, ...] + b[c] (a standalone BatchNorm,
// or multiplication/addition by per-channel constants). A claim out(r) = v
// becomes v - b(r_c) = sum_i eq(r, i) a[c(i)] x[i], a degree-3 sumcheck.
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  const auto& x = v[n.in[0]];
  const auto& a = v[n.in[1]];
  const auto& b = v[n.in[2]];
  unsigned shift = c.tensors[n.in[0]].num_vars() - c.tensors[n.in[1]].num_vars();
  std::vector<int64_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = a[i >> shift] * x[i] + b[i >> shift];
  v[n.out[0]] = std::move(out);
}

void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
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

}  // namespace

const OpDef kChannelAffineOp{execute, reduce};

}  // namespace zk::circuit

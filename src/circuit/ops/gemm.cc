// Gemm: out[n] = sum_k W[n,k] x[k] + b[n], x read flat in its padded layout
// (the compiler permutes W's columns to match). A claim out(r) = v becomes
// v - b(r) = sum_k W(r, k) x(k): a degree-2 sumcheck over k (Thaler's
// matrix-vector protocol), leaving claims on W at (s, r) and on x at s.
#include "circuit/ops/op.h"
#include "field/parallel.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const auto& x = v[n.in[0]];
  const auto& w = v[n.in[1]];
  const auto& b = v[n.in[2]];
  size_t K = x.size(), N = c.tensors[n.out[0]].padded_size();
  std::vector<int64_t> out(N);
  parallel_chunks(N, 8, [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) {
      int64_t acc = b[i];
      const int64_t* row = w.data() + i * K;
      for (size_t k = 0; k < K; ++k) acc += row[k] * x[k];
      out[i] = acc;
    }
  });
  v[n.out[0]] = std::move(out);
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  int x = n.in[0], w = n.in[1], b = n.in[2];
  Val bv = ctx.claim(b, r);
  ctx.resolve(b, r, bv);
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover()) tables = {fold_high_int(ctx.values(w), r), to_ext(ctx.values(x))};
  auto sc =
      ctx.sumcheck(tables, {{Fp2::one(), {0, 1}}}, 2, v - bv, ctx.circuit().tensors[x].num_vars());
  Val wv = ctx.exchange(ctx.prover() ? tables[0][0] : Fp2());
  Val xv = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  if (!ctx.prover()) ctx.check_eq(wv * xv, sc.final_value, "sumcheck final check failed");
  ctx.resolve(w, concat(sc.point, r), wv);
  ctx.resolve(x, sc.point, xv);
}

class GemmOp final : public OpDef {
 public:
  const char* name() const override { return "Gemm"; }
  bool derived() const override { return true; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &x = node_input(c, n, 0, where), &w = node_input(c, n, 1, where),
                 &b = node_input(c, n, 2, where), &o = c.tensors[n.out[0]];
    if (!is_weight(w) || !is_weight(b) || o.log_dims.size() != 1 ||
        w.log_dims != std::vector<uint32_t>{o.log_dims[0], x.num_vars()} ||
        b.log_dims != o.log_dims)
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = matrix_bound(c, n, w, b);
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& gemm_op() {
  static const GemmOp op;
  return op;
}

}  // namespace zk::circuit

// MatMul: out[b,i,j] = sum_{k<K} A[b,i,k] B[b,k,j] (+ bias[j]) over shared
// leading batch dimensions b (any number, or none; one operand may lack them
// and is then broadcast). B is a weight [K,N] (a linear layer on every row
// of A: tokens, a batch) or another activation (attention's Q K^T and
// softmax(..) V). Only the K valid positions of the contracted dimension are
// summed, so padding in A or B never reaches a valid output.
//
// A claim out(r_b, r_i, r_j) = v becomes v - bias(r_j) =
//   sum_{k,b} eq(r_b, b) [k < K] A(b, r_i, k) B(b, k, r_j),
// a degree-3 sumcheck over (k, b) of tables the prover folds at r_i and r_j
// first; the verifier evaluates eq(r_b, s_b) [s_k < K] itself and the claims
// left are on A at (s_k, r_i, s_b) and on B at (r_j, s_k, s_b).
#include <algorithm>
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

// The variable groups of a node (validated shapes).
struct Dims {
  unsigned lb = 0, li = 0, lj = 0, lk = 0;  // batch, rows, columns, contracted
  int64_t K = 0;                            // valid contracted positions
  bool a_batched = false, b_batched = false;
  size_t Ip() const { return size_t{1} << li; }
  size_t Jp() const { return size_t{1} << lj; }
  size_t Kp() const { return size_t{1} << lk; }
  size_t a_off(size_t b) const { return a_batched ? b * Ip() * Kp() : 0; }
  size_t b_off(size_t b) const { return b_batched ? b * Kp() * Jp() : 0; }
};

Dims dims_of(const Circuit& c, const Node& n) {
  const Tensor &a = c.tensors[n.in[0]], &b = c.tensors[n.in[1]], &o = c.tensors[n.out[0]];
  const size_t r = o.log_dims.size();
  Dims d;
  for (size_t i = 0; i + 2 < r; ++i) d.lb += o.log_dims[i];
  d.li = o.log_dims[r - 2];
  d.lj = o.log_dims[r - 1];
  d.lk = a.log_dims.back();
  d.K = a.dims.back();
  d.a_batched = a.log_dims.size() == r && r > 2;
  d.b_batched = b.log_dims.size() == r && r > 2;
  return d;
}

// Whether operand t is [batch..., x, y] with out's batch, or [x, y] (broadcast).
bool operand_fits(const Tensor& t, const Tensor& o, int64_t x, int64_t y, uint32_t lx,
                  uint32_t ly) {
  const size_t r = o.dims.size(), tr = t.dims.size();
  if (tr != 2 && tr != r) return false;
  for (size_t i = 0; i + 2 < tr; ++i)
    if (t.dims[i] != o.dims[i] || t.log_dims[i] != o.log_dims[i]) return false;
  return t.dims[tr - 2] == x && t.dims[tr - 1] == y && t.log_dims[tr - 2] == lx &&
         t.log_dims[tr - 1] == ly;
}

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const Dims d = dims_of(c, n);
  const auto& A = v[n.in[0]];
  const auto& B = v[n.in[1]];
  const std::vector<int64_t>* bias = n.in.size() > 2 ? &v[n.in[2]] : nullptr;
  std::vector<int64_t> out(c.tensors[n.out[0]].padded_size());
  const size_t Ip = d.Ip(), Jp = d.Jp(), Kp = d.Kp();
  for (size_t b = 0; b < (size_t{1} << d.lb); ++b) {
    for (size_t i = 0; i < Ip; ++i) {
      int64_t* row = out.data() + (b * Ip + i) * Jp;
      for (size_t j = 0; j < Jp; ++j) row[j] = bias ? (*bias)[j] : 0;
      const int64_t* a = A.data() + d.a_off(b) + i * Kp;
      for (int64_t k = 0; k < d.K; ++k) {
        const int64_t* brow = B.data() + d.b_off(b) + k * Jp;
        for (size_t j = 0; j < Jp; ++j) row[j] += a[k] * brow[j];
      }
    }
  }
  v[n.out[0]] = std::move(out);
}

// The prover's tables over (k, b): eq(r_b, b) [k < K], A folded at r_i, B at r_j.
std::vector<std::vector<Fp2>> prover_tables(ReduceContext& ctx, const Node& n, const Dims& d,
                                            const Point& ri, const Point& rj, const Point& rb) {
  const auto& A = ctx.values(n.in[0]);
  const auto& B = ctx.values(n.in[1]);
  const auto ei = eq_table(ri), ej = eq_table(rj), eb = eq_table(rb);
  const size_t Kp = d.Kp(), size = Kp << d.lb;
  std::vector<Fp2> e(size), fa(size), fb(size);
  for (size_t b = 0; b < (size_t{1} << d.lb); ++b) {
    for (size_t k = 0; k < Kp; ++k) {
      const size_t x = k + b * Kp;
      e[x] = static_cast<int64_t>(k) < d.K ? eb[b] : Fp2::zero();
      Fp2 sa = Fp2::zero(), sb = Fp2::zero();
      for (size_t i = 0; i < d.Ip(); ++i) sa += ei[i] * Fp2::from_int(A[d.a_off(b) + i * Kp + k]);
      const int64_t* brow = B.data() + d.b_off(b) + k * d.Jp();
      for (size_t j = 0; j < d.Jp(); ++j) sb += ej[j] * Fp2::from_int(brow[j]);
      fa[x] = sa;
      fb[x] = sb;
    }
  }
  return {std::move(e), std::move(fa), std::move(fb)};
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const Dims d = dims_of(ctx.circuit(), n);
  const Point rj = slice(r, 0, d.lj), ri = slice(r, d.lj, d.li), rb = slice(r, d.lj + d.li, d.lb);
  if (n.in.size() > 2) {
    Val bv = ctx.claim(n.in[2], rj);
    ctx.resolve(n.in[2], rj, bv);
    v = v - bv;
  }
  std::vector<std::vector<Fp2>> tables;
  if (ctx.prover()) tables = prover_tables(ctx, n, d, ri, rj, rb);
  auto sc = ctx.sumcheck(tables, {{Fp2::one(), {0, 1, 2}}}, 3, v, d.lk + d.lb);
  Val av = ctx.exchange(ctx.prover() ? tables[1][0] : Fp2());
  Val bv = ctx.exchange(ctx.prover() ? tables[2][0] : Fp2());
  const Point sk = slice(sc.point, 0, d.lk), sb = slice(sc.point, d.lk, d.lb);
  if (!ctx.prover()) {
    Fp2 e = eq_eval(rb, sb) * prefix_indicator(sk, static_cast<size_t>(d.K));
    ctx.check_eq(e * av * bv, sc.final_value, "sumcheck final check failed");
  }
  Point pa = concat(sk, ri), pb = concat(rj, sk);
  if (d.a_batched) pa = concat(pa, sb);
  if (d.b_batched) pb = concat(pb, sb);
  ctx.resolve(n.in[0], pa, av);
  ctx.resolve(n.in[1], pb, bv);
}

class MatMulOp final : public OpDef {
 public:
  const char* name() const override { return "MatMul"; }
  bool derived() const override { return true; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &a = node_input(c, n, 0, where), &b = node_input(c, n, 1, where),
                 &o = c.tensors[n.out[0]];
    const size_t r = o.dims.size();
    if (n.in.size() > 3 || r < 2 || a.dims.size() < 2 || b.dims.size() < 2 ||
        a.dims.size() != a.log_dims.size() || b.dims.size() != b.log_dims.size() ||
        o.dims.size() != o.log_dims.size())
      bad_node(where, "shapes do not match");
    const int64_t I = o.dims[r - 2], J = o.dims[r - 1], K = a.dims.back();
    const uint32_t li = o.log_dims[r - 2], lj = o.log_dims[r - 1], lk = a.log_dims.back();
    if (!operand_fits(a, o, I, K, li, lk) || !operand_fits(b, o, K, J, lk, lj) ||
        (is_weight(b) && b.dims.size() != 2))
      bad_node(where, "shapes do not match");
    if (n.in.size() == 3) {
      const Tensor& bias = node_input(c, n, 2, where);
      if (!is_weight(bias) || bias.log_dims != std::vector<uint32_t>{lj})
        bad_node(where, "bias shape does not match");
    }
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    const Dims d = dims_of(c, n);
    auto bias = [&](size_t j) {
      return n.in.size() > 2 ? std::fabs(static_cast<double>(w[n.in[2]][j])) : 0.0;
    };
    double worst = 0;
    if (is_weight(c.tensors[n.in[1]])) {
      const auto& W = w[n.in[1]];
      for (size_t j = 0; j < d.Jp(); ++j) {
        double sum = bias(j);
        for (int64_t k = 0; k < d.K; ++k)
          sum += std::fabs(static_cast<double>(W[k * d.Jp() + j])) * b[n.in[0]];
        worst = std::max(worst, sum);
      }
    } else {
      for (size_t j = 0; j < d.Jp(); ++j) worst = std::max(worst, bias(j));
      worst += static_cast<double>(d.K) * b[n.in[0]] * b[n.in[1]];
    }
    b[n.out[0]] = worst;
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& matmul_op() {
  static const MatMulOp op;
  return op;
}

}  // namespace zk::circuit

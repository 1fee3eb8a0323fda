// AxisSum: out = x summed over its reduced dimensions (those where out has
// size 1 and x does not), valid positions only:
//   out[i] = sum over valid b of x[i with the reduced coordinates set to b].
// out keeps x's rank and the padded sizes of the kept dimensions, so its
// variables are x's kept variables in order. A claim out(r) = v is the
// degree-2 sumcheck of sum_i P(i) x(i) = v with the separable predicate
//   P(i) = prod_{kept d} eq(r_d, i_d) * prod_{reduced d} [i_d < n_d],
// which the verifier evaluates in O(log size): padding positions of x (which
// a committed tensor does not constrain) never enter the sum.
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

bool reduced(const Tensor& x, const Tensor& o, size_t d) { return o.dims[d] != x.dims[d]; }

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const Tensor &x = c.tensors[n.in[0]], &o = c.tensors[n.out[0]];
  const auto& xv = v[n.in[0]];
  std::vector<int64_t> out(o.padded_size(), 0);
  for (size_t i = 0; i < xv.size(); ++i) {
    size_t oi = 0;
    bool valid = true;
    for (size_t d = 0; d < x.dims.size(); ++d) {
      size_t coord = (i >> x.var_offset(d)) & ((size_t{1} << x.log_dims[d]) - 1);
      if (reduced(x, o, d))
        valid = valid && coord < static_cast<size_t>(x.dims[d]);
      else
        oi |= coord << o.var_offset(d);
    }
    if (valid) out[oi] += xv[i];
  }
  v[n.out[0]] = std::move(out);
}

// P as a table over x's padded positions (prover).
std::vector<Fp2> predicate(const Tensor& x, const Tensor& o, const Point& r) {
  std::vector<std::vector<Fp2>> f(x.dims.size());
  for (size_t d = 0; d < x.dims.size(); ++d) {
    if (reduced(x, o, d)) {
      f[d].assign(size_t{1} << x.log_dims[d], Fp2::zero());
      for (int64_t k = 0; k < x.dims[d]; ++k) f[d][k] = Fp2::one();
    } else {
      f[d] = eq_table(slice(r, o.var_offset(d), o.log_dims[d]));
    }
  }
  std::vector<Fp2> p(x.padded_size());
  for (size_t i = 0; i < p.size(); ++i) {
    Fp2 acc = Fp2::one();
    for (size_t d = 0; d < x.dims.size(); ++d)
      acc = acc * f[d][(i >> x.var_offset(d)) & ((size_t{1} << x.log_dims[d]) - 1)];
    p[i] = acc;
  }
  return p;
}

// P at point s (verifier).
Fp2 predicate_at(const Tensor& x, const Tensor& o, const Point& r, const Point& s) {
  Fp2 acc = Fp2::one();
  for (size_t d = 0; d < x.dims.size(); ++d) {
    Point sd = slice(s, x.var_offset(d), x.log_dims[d]);
    acc = acc * (reduced(x, o, d) ? prefix_indicator(sd, static_cast<size_t>(x.dims[d]))
                                  : eq_eval(slice(r, o.var_offset(d), o.log_dims[d]), sd));
  }
  return acc;
}

void reduce_claim(ReduceContext& ctx, const Node& n, const Point& r, Val v) {
  const Circuit& c = ctx.circuit();
  const Tensor &x = c.tensors[n.in[0]], &o = c.tensors[n.out[0]];
  std::vector<Fp2> pred;
  if (ctx.prover()) pred = predicate(x, o, r);
  auto red = predicate_sumcheck(ctx, std::move(pred), n.in[0], v);
  if (!ctx.prover())
    ctx.check_eq(predicate_at(x, o, r, red.point) * red.tensor_value, red.final_value,
                 "sumcheck final check failed");
  ctx.resolve(n.in[0], red.point, red.tensor_value);
}

class AxisSumOp final : public OpDef {
 public:
  const char* name() const override { return "AxisSum"; }
  bool derived() const override { return true; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &x = node_input(c, n, 0, where), &o = c.tensors[n.out[0]];
    if (n.in.size() != 1 || n.out.size() != 1 || x.dims.size() != o.dims.size() ||
        x.log_dims.size() != x.dims.size() || o.log_dims.size() != o.dims.size())
      bad_node(where, "shapes do not match");
    for (size_t d = 0; d < x.dims.size(); ++d) {
      bool kept = o.dims[d] == x.dims[d] && o.log_dims[d] == x.log_dims[d];
      bool summed = o.dims[d] == 1 && o.log_dims[d] == 0;
      if (!kept && !summed) bad_node(where, "shapes do not match");
    }
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    const Tensor &x = c.tensors[n.in[0]], &o = c.tensors[n.out[0]];
    double count = 1;
    for (size_t d = 0; d < x.dims.size(); ++d)
      if (reduced(x, o, d)) count *= static_cast<double>(x.dims[d]);
    b[n.out[0]] = count * b[n.in[0]];
  }
  void reduce(ReduceContext& ctx, const Node& n, const Point& r, Val v) const override {
    reduce_claim(ctx, n, r, v);
  }
};

}  // namespace

const OpDef& axis_sum_op() {
  static const AxisSumOp op;
  return op;
}

}  // namespace zk::circuit

// Split: a hidden input x as two limbs, x = lo + 2^T hi with lo in [0, 2^T)
// and hi in [-2^(T-1), 2^(T-1)), both committed and range-checked by lookups
// and the identity checked at a random point. It
// bounds |x| below 2^(2T-1), which the verifier cannot check on a hidden
// input itself and the accumulator bounds rely on.
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const unsigned T = c.table_bits;
  const int64_t off = int64_t{1} << (2 * T - 1), half = int64_t{1} << (T - 1);
  const auto& x = v[n.in[0]];
  check_range(c, n, n.in[0], x, -off, off - 1, "hidden input value");
  std::vector<int64_t> lo(x.size()), hi(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t u = x[i] + off;  // in [0, 2^2T) at valid positions
    lo[i] = u & ((int64_t{1} << T) - 1);
    hi[i] = (u >> T) - half;
  }
  v[n.out[0]] = std::move(lo);
  v[n.out[1]] = std::move(hi);
}

class SplitOp final : public OpDef {
 public:
  const char* name() const override { return "Split"; }
  bool derived() const override { return false; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor& x = node_input(c, n, 0, where);
    if (n.out.size() != 2 || x.kind != TensorKind::kInput || n.out[1] < 0 ||
        c.tensors[n.out[0]].log_dims != x.log_dims || c.tensors[n.out[1]].log_dims != x.log_dims)
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = b[n.out[1]] = std::ldexp(1.0, static_cast<int>(c.table_bits));
  }
  // The verifier cannot check a hidden input's range itself, and the
  // accumulator bounds assume it.
  void lookups(const Circuit& c, const Node& n, std::vector<LookupSpec>& out) const override {
    int64_t half = int64_t{1} << (c.table_bits - 1);
    const std::string what = "range of the hidden input '" + c.tensors[n.in[0]].name + "'";
    out.push_back({0, n.out[0], {{{n.out[0], 1}}, 0}, {}, what});
    out.push_back({0, n.out[0], {{{n.out[1], 1}}, half}, {}, what + " (high limb)"});
  }
  bool has_identity() const override { return true; }
  std::string identity_section(const Circuit& c, const Node& n) const override {
    return "input '" + c.tensors[n.in[0]].name + "' (hidden; range check)";
  }
  void identity(ReduceContext& ctx, const Node& n) const override {
    const Circuit& c = ctx.circuit();
    Point r = ctx.challenge_point(c.tensors[n.in[0]].num_vars());
    Val xv = ctx.claim(n.in[0], r), lo = ctx.claim(n.out[0], r), hi = ctx.claim(n.out[1], r);
    ctx.check_eq(xv, lo + Fp2::from_int(int64_t{1} << c.table_bits) * hi,
                 "hidden input limbs do not add up");
    ctx.resolve(n.in[0], r, xv);
    ctx.resolve(n.out[0], r, lo);
    ctx.resolve(n.out[1], r, hi);
  }
};

}  // namespace

const OpDef& split_op() {
  static const SplitOp op;
  return op;
}

}  // namespace zk::circuit

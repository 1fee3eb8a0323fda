// MaxDiff: one step of max pooling along one axis, d = relu(a - b) where a
// and b are the even and odd positions (bit `var` of the index fixed to 0 and
// 1). The pooled value b + d is a LinComb; d is committed and tied to a - b
// by a lookup into the ReLU table.
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const int var = n.p<MaxParams>().var;
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  const auto& x = v[n.in[0]];
  const Tensor& o = c.tensors[n.out[0]];
  std::vector<int64_t> d(o.padded_size()), diffs(o.padded_size());
  Term a{n.in[0], 1, var, 0}, b{n.in[0], 1, var, 1};
  for (size_t i = 0; i < d.size(); ++i) {
    diffs[i] = x[view_index(a, i)] - x[view_index(b, i)];
    d[i] = diffs[i] > 0 ? diffs[i] : 0;
  }
  check_range(c, n, n.out[0], diffs, -half, half - 1, "max-pool difference");
  v[n.out[0]] = std::move(d);
}

class MaxDiffOp final : public OpDef {
 public:
  const char* name() const override { return "MaxDiff"; }
  bool derived() const override { return false; }
  NodeParams default_params() const override { return MaxParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &x = node_input(c, n, 0, where), &o = c.tensors[n.out[0]];
    const auto& p = n.p<MaxParams>();
    if (n.out.size() != 1 || x.num_vars() != o.num_vars() + 1 || p.var < 0 ||
        p.var > static_cast<int>(o.num_vars()) || !is_relu_table(c, p.table))
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = std::ldexp(1.0, static_cast<int>(c.table_bits) - 1);  // a ReLU table output
  }
  void lookups(const Circuit& c, const Node& n, std::vector<LookupSpec>& out) const override {
    const auto& p = n.p<MaxParams>();
    int x = n.in[0], d = n.out[0];
    LinExpr in{{{x, 1, p.var, 0}, {x, -1, p.var, 1}}, 0};
    out.push_back({p.table, d, in, {{{d, 1}}, 0}, n.layer + " max-pool comparison"});
  }
};

}  // namespace

const OpDef& max_diff_op() {
  static const MaxDiffOp op;
  return op;
}

}  // namespace zk::circuit

// MaxDiff: one step of max pooling along one axis, d = relu(a - b) where a
// and b are the even and odd positions (bit `var` of the index fixed to 0 and
// 1). The pooled value b + d is a LinComb; d is committed and tied to a - b
// by a lookup into the ReLU table (see lookups_of).
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  const auto& x = v[n.in[0]];
  const Tensor& o = c.tensors[n.out[0]];
  std::vector<int64_t> d(o.padded_size()), diffs(o.padded_size());
  Term a{n.in[0], 1, n.var, 0}, b{n.in[0], 1, n.var, 1};
  for (size_t i = 0; i < d.size(); ++i) {
    diffs[i] = x[view_index(a, i)] - x[view_index(b, i)];
    d[i] = diffs[i] > 0 ? diffs[i] : 0;
  }
  check_range(n, o, diffs, -half, half - 1, "max-pool difference");
  v[n.out[0]] = std::move(d);
}

}  // namespace

const OpDef kMaxDiffOp{execute, nullptr};

}  // namespace zk::circuit

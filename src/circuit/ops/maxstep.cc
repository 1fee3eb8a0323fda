// MaxStep: m = max(prev, cand), one step of a general max pooling (any
// window, stride and padding): the candidates are gathered views of the
// input, one per window offset. m is committed and tied to its inputs by a
// lookup of (cand - prev, m - prev) into the ReLU table (see lookups_of).
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  const auto& prev = v[n.in[0]];
  const auto& cand = v[n.in[1]];
  std::vector<int64_t> m(prev.size()), diffs(prev.size());
  for (size_t i = 0; i < m.size(); ++i) {
    diffs[i] = cand[i] - prev[i];
    m[i] = std::max(prev[i], cand[i]);
  }
  check_range(n, c.tensors[n.out[0]], diffs, -half, half - 1, "max-pool difference");
  v[n.out[0]] = std::move(m);
}

}  // namespace

const OpDef kMaxStepOp{execute, nullptr};

}  // namespace zk::circuit

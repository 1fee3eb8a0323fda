// Split: a hidden input x as two limbs, x = lo + 2^T hi with lo in [0, 2^T)
// and hi in [-2^(T-1), 2^(T-1)), both committed and range-checked by lookups
// (lookups_of), the identity checked at a random point by the protocol. It
// bounds |x| below 2^(2T-1), which the verifier cannot check on a hidden
// input itself and the accumulator bounds rely on.
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  const unsigned T = c.table_bits;
  const int64_t off = int64_t{1} << (2 * T - 1), half = int64_t{1} << (T - 1);
  const auto& x = v[n.in[0]];
  check_range(n, c.tensors[n.in[0]], x, -off, off - 1, "hidden input value");
  std::vector<int64_t> lo(x.size()), hi(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t u = x[i] + off;  // in [0, 2^2T) at valid positions
    lo[i] = u & ((int64_t{1} << T) - 1);
    hi[i] = (u >> T) - half;
  }
  v[n.out[0]] = std::move(lo);
  v[n.out[1]] = std::move(hi);
}

}  // namespace

const OpDef kSplitOp{execute, nullptr};

}  // namespace zk::circuit

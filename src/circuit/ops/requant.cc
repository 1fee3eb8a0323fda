// Requant: q = floor((x*mult + 2^(k-1)) / 2^k) (round half up), the remainder
// rem (split into a low limb of k - T bits and a high limb rem_hi of T bits
// when k > T), and y = act(q). All outputs are committed; they are tied to x
// by the identity x*mult + h = 2^k q + rem + 2^(k-T) rem_hi, checked at a random point by the
// protocol, and by lookups (see lookups_of): (q, y) in the activation table or
// y in the range, rem (and rem_hi) in the range table.
#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute(const Circuit& c, const Node& n, Values& v) {
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  const auto& x = v[n.in[0]];
  int64_t h = n.shift > 0 ? int64_t{1} << (n.shift - 1) : 0;
  std::vector<int64_t> q(x.size()), rem(x.size()), y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t z = x[i] * n.mult + h;
    q[i] = floor_div_pow2(z, n.shift);
    rem[i] = z - (q[i] << n.shift);
    y[i] = n.table >= 0 ? c.tables[n.table].out_value(q[i] + half, c.table_bits) : q[i];
  }
  check_range(n, c.tensors[n.out[0]], q, -half, half - 1, "value");
  if (n.out[1] >= 0) v[n.out[1]] = std::move(q);
  if (n.out[3] >= 0) {
    int low_bits = n.shift - static_cast<int>(c.table_bits);
    std::vector<int64_t> hi(rem.size());
    for (size_t i = 0; i < rem.size(); ++i) {
      hi[i] = rem[i] >> low_bits;
      rem[i] &= (int64_t{1} << low_bits) - 1;
    }
    v[n.out[3]] = std::move(hi);
  }
  if (n.out[2] >= 0) v[n.out[2]] = std::move(rem);
  v[n.out[0]] = std::move(y);
}

}  // namespace

const OpDef kRequantOp{execute, nullptr};

}  // namespace zk::circuit

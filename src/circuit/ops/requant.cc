// Requant: q = floor((x*mult + 2^(k-1)) / 2^k) (round half up), the remainder
// rem (split into a low limb of k - T bits and a high limb rem_hi of T bits
// when k > T), and y = act(q). All outputs are committed; they are tied to x
// by the identity x*mult + h = 2^k q + rem + 2^(k-T) rem_hi, checked at a
// random point, and by lookups: (q, y) in the activation table or y in the
// range, rem (and rem_hi) in the range table.
#include <algorithm>
#include <cmath>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const auto& p = n.p<RequantParams>();
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  const auto& x = v[n.in[0]];
  int64_t h = p.shift > 0 ? int64_t{1} << (p.shift - 1) : 0;
  std::vector<int64_t> q(x.size()), rem(x.size()), y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t z = x[i] * p.mult + h;
    q[i] = floor_div_pow2(z, p.shift);
    rem[i] = z - (q[i] << p.shift);
  }
  // Checked before the table is read: an out-of-range q has no row.
  check_range(c, n, n.out[0], q, -half, half - 1, "value");
  for (size_t i = 0; i < x.size(); ++i)
    y[i] = p.table >= 0 ? c.tables[p.table].out_value(q[i] + half, c.table_bits) : q[i];
  if (n.out[1] >= 0) v[n.out[1]] = std::move(q);
  if (n.out[3] >= 0) {
    int low_bits = p.shift - static_cast<int>(c.table_bits);
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

void append_lookups(const Circuit& c, const Node& n, std::vector<LookupSpec>& out) {
  const auto& p = n.p<RequantParams>();
  int64_t half = int64_t{1} << (c.table_bits - 1);
  int y = n.out[0], q = n.out[1], rem = n.out[2], rem_hi = n.out[3];
  int T = static_cast<int>(c.table_bits);
  if (p.table >= 0) {
    out.push_back({p.table, y, {{{q, 1}}, 0}, {{{y, 1}}, 0}, n.layer + " activation"});
  } else {
    out.push_back({0, y, {{{y, 1}}, half}, {}, n.layer + " output range"});
  }
  // The remainder R must lie in [0, 2^shift), as an integer. Each limb is
  // range-checked unscaled (an integer in [0, 2^T)); a limb narrower than T
  // bits is also checked scaled up to the table's top (so it is below
  // 2^width). With integer limbs and |x*mult + h| far below p (checked at
  // compile time), the field identity is an integer identity and q is
  // exactly the rounded quotient.
  auto limb = [&](int tensor, int width, const std::string& what) {
    out.push_back({0, y, {{{tensor, 1}}, 0}, {}, what});
    if (width < T)
      out.push_back({0, y, {{{tensor, int64_t{1} << (T - width)}}, 0}, {}, what + " (width)"});
  };
  if (p.shift > 0 && rem_hi < 0) limb(rem, p.shift, n.layer + " rounding remainder");
  if (rem_hi >= 0) {
    limb(rem, p.shift - T, n.layer + " rounding remainder");
    limb(rem_hi, T, n.layer + " rounding remainder (high)");
  }
}

class RequantOp final : public OpDef {
 public:
  const char* name() const override { return "Requant"; }
  bool derived() const override { return false; }
  NodeParams default_params() const override { return RequantParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const auto& p = n.p<RequantParams>();
    const Tensor& o = c.tensors[n.out[0]];
    if (n.out.size() != 4 || node_input(c, n, 0, where).log_dims != o.log_dims)
      bad_node(where, "shapes do not match");
    for (int k = 1; k < 4; ++k)
      if (n.out[k] >= 0 && c.tensors[n.out[k]].log_dims != o.log_dims)
        bad_node(where, "shapes do not match");
    if (p.table < -1 || p.table == 0 || p.table >= static_cast<int>(c.tables.size()))
      bad_node(where, "table out of range");
    if (p.shift < 0 || p.shift > 2 * static_cast<int>(c.table_bits))
      bad_node(where, "shift out of range");
    if ((p.table >= 0) != (n.out[1] >= 0) || (p.shift > 0) != (n.out[2] >= 0) ||
        (p.shift > static_cast<int>(c.table_bits)) != (n.out[3] >= 0))
      bad_node(where, "outputs do not match its parameters");
    if (p.mult == 0 || p.mult < -(int64_t{1} << 32) || p.mult > (int64_t{1} << 32))
      bad_node(where, "multiplier out of range");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    const auto& p = n.p<RequantParams>();
    const int T = static_cast<int>(c.table_bits);
    double z = b[n.in[0]] * std::fabs(static_cast<double>(p.mult)) +
               std::ldexp(1.0, std::max(0, p.shift - 1));
    if (z + std::ldexp(1.0, p.shift + T) >= std::ldexp(1.0, 62))
      throw RangeError("layer '" + n.layer + "': its accumulator may reach about 2^" +
                       std::to_string(static_cast<int>(std::log2(z))) +
                       ", too large to rescale soundly in the field; lower the weight "
                       "precision or the input range");
    // The lookups bound the outputs on the valid positions (padding
    // positions only ever meet zero weights or are never read); function
    // tables hold outputs in the same range (Circuit::validate).
    b[n.out[0]] = std::ldexp(1.0, T - 1);
    if (n.out[1] >= 0) b[n.out[1]] = std::ldexp(1.0, T - 1);
    for (int k : {2, 3})
      if (n.out[k] >= 0) b[n.out[k]] = std::ldexp(1.0, T);
  }
  void lookups(const Circuit& c, const Node& n, std::vector<LookupSpec>& out) const override {
    append_lookups(c, n, out);
  }
  bool has_identity() const override { return true; }
  std::string identity_section(const Circuit& c, const Node& n) const override {
    return "layer '" + n.layer + "' (requantize)";
  }
  void identity(ReduceContext& ctx, const Node& n) const override {
    const auto& p = n.p<RequantParams>();
    const Circuit& c = ctx.circuit();
    int y = n.out[0], q = n.out[1] >= 0 ? n.out[1] : y, rem = n.out[2], rem_hi = n.out[3];
    Point r = ctx.challenge_point(c.tensors[y].num_vars());
    Val xv = ctx.claim(n.in[0], r), qv = ctx.claim(q, r);
    Val rv = rem >= 0 ? ctx.claim(rem, r) : Val();
    Val hv = rem_hi >= 0 ? ctx.claim(rem_hi, r) : Val();
    int64_t h = p.shift > 0 ? int64_t{1} << (p.shift - 1) : 0;
    int hi_shift = std::max(0, p.shift - static_cast<int>(c.table_bits));
    ctx.check_eq(
        xv * Fp2::from_int(p.mult) + Fp2::from_int(h),
        qv * Fp2::from_int(int64_t{1} << p.shift) + rv + hv * Fp2::from_int(int64_t{1} << hi_shift),
        "requantization identity failed");
    ctx.resolve(n.in[0], r, xv);
    ctx.resolve(q, r, qv);
    if (rem >= 0) ctx.resolve(rem, r, rv);
    if (rem_hi >= 0) ctx.resolve(rem_hi, r, hv);
  }
};

}  // namespace

const OpDef& requant_op() {
  static const RequantOp op;
  return op;
}

}  // namespace zk::circuit

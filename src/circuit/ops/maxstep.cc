// MaxStep: m = max(prev, cand), one step of a general max pooling (any
// window, stride and padding): the candidates are gathered views of the
// input, one per window offset. m is committed and tied to its inputs by a
// lookup of (cand - prev, m - prev) into the ReLU table.
#include <algorithm>

#include "circuit/ops/op.h"

namespace zk::circuit {

namespace {

void execute_node(const Circuit& c, const Node& n, Values& v) {
  const int64_t half = int64_t{1} << (c.table_bits - 1);
  const auto& prev = v[n.in[0]];
  const auto& cand = v[n.in[1]];
  std::vector<int64_t> m(prev.size()), diffs(prev.size());
  for (size_t i = 0; i < m.size(); ++i) {
    diffs[i] = cand[i] - prev[i];
    m[i] = std::max(prev[i], cand[i]);
  }
  check_range(c, n, n.out[0], diffs, -half, half - 1, "max-pool difference");
  v[n.out[0]] = std::move(m);
}

class MaxStepOp final : public OpDef {
 public:
  const char* name() const override { return "MaxStep"; }
  bool derived() const override { return false; }
  NodeParams default_params() const override { return MaxParams{}; }
  void validate(const Circuit& c, const Node& n, const std::string& where) const override {
    const Tensor &a = node_input(c, n, 0, where), &b = node_input(c, n, 1, where),
                 &o = c.tensors[n.out[0]];
    if (n.out.size() != 1 || a.log_dims != o.log_dims || b.log_dims != o.log_dims ||
        !is_relu_table(c, n.p<MaxParams>().table))
      bad_node(where, "shapes do not match");
  }
  void execute(const Circuit& c, const Node& n, Values& v) const override { execute_node(c, n, v); }
  void bound(const Circuit& c, const Node& n, const Values& w,
             std::vector<double>& b) const override {
    b[n.out[0]] = std::max(b[n.in[0]], b[n.in[1]]);  // m is prev or cand on every valid position
  }
  // m - prev = relu(cand - prev), i.e. m = max(prev, cand).
  void lookups(const Circuit& c, const Node& n, std::vector<LookupSpec>& out) const override {
    int prev = n.in[0], cand = n.in[1], m = n.out[0];
    out.push_back({n.p<MaxParams>().table,
                   m,
                   {{{cand, 1}, {prev, -1}}, 0},
                   {{{m, 1}, {prev, -1}}, 0},
                   n.layer + " max-pool comparison"});
  }
};

}  // namespace

const OpDef& max_step_op() {
  static const MaxStepOp op;
  return op;
}

}  // namespace zk::circuit

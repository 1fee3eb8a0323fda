// Interval bounds on every requantized value, from the weights, the
// public-input limit and the ranges the lookups enforce (each op's bound()).
#include <algorithm>
#include <cmath>

#include "circuit/ops/op.h"
#include "quant/lowering.h"

namespace zk::quant {

using circuit::Circuit;
using circuit::TensorKind;

// Soundness of the rescaling argument needs every requantized value z to
// stay far from the field size: |z| + 2^(shift + T) < 2^62
// (docs/SECURITY.md). Bounds are propagated through the
// circuit from the weights and the value ranges the lookups enforce.
void check_accumulator_bounds(const Circuit& c, const circuit::Values& weights) {
  std::vector<double> bound(c.tensors.size(), 0);
  for (size_t t = 0; t < c.tensors.size(); ++t) {
    if (c.tensors[t].kind == TensorKind::kInput)
      bound[t] = static_cast<double>(circuit::max_input_magnitude(c.input_vis, c.table_bits));
    // Committed tensors get their bound from the node that produces them.
  }
  for (const auto& n : c.nodes) {
    try {
      circuit::op_def(n.type).bound(c, n, weights, bound);
    } catch (const circuit::RangeError& e) {
      throw ModelError(e.what());
    }
  }
}

}  // namespace zk::quant
